/**
 * The supplementary round's activities: the bo-sung workbook carries the
 * `hoat_dong` list; at submission it needs at least one activity or the "Không tổ chức hoạt
 * động" box; dates are read day first and checked against the round's window; the master
 * compiles them by kind and level.
 */
import { describe, expect, it } from 'vitest';
import { evaluateWorkbook } from '../../functions/core/evaluate.js';
import { compileActivities, readDate } from '../../functions/core/lists.js';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import type { ListTable } from '../../sheets-schema/campaign-schema.js';
import { model, modifiedModel } from '../helpers/campaign.js';
import { activityRow, filledGrid } from '../helpers/fill-workbook.js';
import { addressOf, formCell, listCell } from '../helpers/grid-edit.js';
import { templateGrid } from '../helpers/template.js';

const BO_SUNG = 'bo-sung-2020';
const SO_KET = 'so-ket-2020';
const UNIT = 'ubnd-ba-dinh';
const table = model.listTable('hoat_dong');
const fields = table.activityFields!;

const issuesOf = (ev: ReturnType<typeof evaluateWorkbook>, code: string) => ev.issues.filter((i) => i.code === code);

describe('the bo-sung workbook carries the activities table', () => {
  it('districts and sectors get a "Hoạt động" tab in the supplementary round only', () => {
    for (const unit of [UNIT, 'thanh-doan'])
      expect(buildUnitWorkbook(model, unit, BO_SUNG).sheets.map((s) => s.title)).toContain('Hoạt động');
    expect(buildUnitWorkbook(model, UNIT, SO_KET).sheets.map((s) => s.title)).not.toContain('Hoạt động');
    expect(model.tablesFor(UNIT, BO_SUNG).find((t) => t.table.id === 'hoat_dong')?.requirement).toBe('required');
    expect(model.tablesFor('ca-ba-dinh', BO_SUNG)).toEqual([]);
  });

  it("kind and level are drop-downs of the plan's wording; the date column shows dd/mm/yyyy; the box sits above the list", () => {
    const sheet = buildUnitWorkbook(model, UNIT, BO_SUNG).sheets.find((s) => s.title === 'Hoạt động')!;
    const validations = sheet.cells
      .filter((c) => c.validation?.kind === 'list')
      .map((c) => (c.validation as { values: string[] }).values);
    expect(validations).toContainEqual([
      'Ngày hội toàn dân bảo vệ ANTQ 19/8',
      'Kỷ niệm 15 năm Ngày hội (2005–2020) gắn với 75 năm Ngày truyền thống CAND',
      'Gặp mặt, tuyên dương điển hình',
      'Thăm hỏi, tặng quà',
      'Khác',
    ]);
    expect(validations).toContainEqual([
      'Thôn/tổ dân phố',
      'Xã/phường/thị trấn',
      'Quận/huyện/thị xã',
      'Thành phố',
      'Cơ quan/doanh nghiệp/nhà trường',
    ]);
    const dateCells = sheet.cells.filter((c) => c.style?.numberFormat === 'dd/mm/yyyy');
    expect(dateCells).toHaveLength(table.rows);
    // Rendered as Sheets' DATE_IS_VALID (and Excel's date type): a warning, not a refusal, so "19/8/2020" typed as text still gets our message.
    for (const cell of dateCells)
      expect(cell.validation).toEqual({
        kind: 'date',
        strict: false,
        message: 'Nhập ngày dạng ngày/tháng/năm, ví dụ 19/08/2020',
      });
    const box = sheet.cells.find((c) => c.value === 'Không tổ chức hoạt động')!;
    const firstDate = sheet.cells.find((c) => c.style?.numberFormat === 'dd/mm/yyyy')!;
    expect(box.row).toBeLessThan(firstDate.row);
    expect(sheet.cells.find((c) => c.row === box.row && c.validation?.kind === 'checkbox')?.value).toBe(false);
  });
});

describe('submission of the activities', () => {
  it('one complete activity: ready, stored with its date as YYYY-MM-DD and the option values', async () => {
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, await filledGrid(model, UNIT, BO_SUNG));
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.status).toBe('ready');
    expect(evaluation.examples['hoat_dong']).toEqual([
      {
        complete: true,
        values: {
          [fields.date]: '2020-06-10',
          [fields.name]: 'Ngày hội toàn dân bảo vệ ANTQ tại tổ dân phố số 7',
          [fields.kind]: 'ngay_hoi_19_8',
          [fields.level]: 'thon_to',
          [fields.participants]: 150,
          [fields.summary]: 'Biểu dương 5 tập thể, cá nhân điển hình; ký cam kết giữ gìn an ninh trật tự.',
        },
      },
    ]);
  });

  it("neither a row nor the box: submission refused with the exact message at the list's first cell", async () => {
    const grid = await filledGrid(model, UNIT, BO_SUNG, (submission) => {
      submission.lists['hoat_dong'] = [];
    });
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, grid);
    expect(evaluation.status).toBe('invalid');
    const at = addressOf(listCell(grid, 'hoat_dong', 0, table.fields[0]!.code));
    expect(issuesOf(evaluation, 'hoat_dong.none')).toEqual([
      expect.objectContaining({
        sheet: 'Hoạt động',
        cell: at,
        severity: 'error',
        message: `Chưa có hoạt động nào: hãy ghi ít nhất một hoạt động từ ô ${at}, hoặc tích ô "Không tổ chức hoạt động" nếu đơn vị không tổ chức hoạt động nào trong đợt này.`,
      }),
    ]);
  });

  it('before the box "Đã hoàn thành" is ticked an empty list is only pending, not an error', async () => {
    const grid = await templateGrid(model, UNIT, BO_SUNG);
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, grid);
    expect(issuesOf(evaluation, 'hoat_dong.none')).toEqual([]);
    expect(evaluation.pending.map((i) => i.code)).toContain('hoat_dong.none');
  });

  it('the box ticked and no row: ready', async () => {
    const grid = await filledGrid(model, UNIT, BO_SUNG, (submission) => {
      submission.lists['hoat_dong'] = [];
      submission.forms['hoat_dong'] = { khong_to_chuc: true };
    });
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, grid);
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.status).toBe('ready');
  });

  it('the box ticked and rows: a warning at the box, the rows still count', async () => {
    const grid = await filledGrid(model, UNIT, BO_SUNG, (submission) => {
      submission.forms['hoat_dong'] = { khong_to_chuc: true };
    });
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, grid);
    const at = addressOf(formCell(grid, 'hoat_dong', 'khong_to_chuc'));
    expect(evaluation.status).toBe('ready');
    expect(evaluation.issues).toEqual([
      expect.objectContaining({
        code: 'hoat_dong.none_and_rows',
        cell: at,
        severity: 'warning',
        message: `Ô ${at}: đã tích "Không tổ chức hoạt động" nhưng danh sách vẫn có 1 hoạt động. Các hoạt động này vẫn được tổng hợp; nếu đơn vị không tổ chức hoạt động nào, hãy xóa các dòng, nếu có thì bỏ tích ô này.`,
      }),
    ]);
    expect(evaluation.examples['hoat_dong']).toHaveLength(1);
  });

  it('a date that is not one: an error quoting what was typed', async () => {
    const grid = await filledGrid(model, UNIT, BO_SUNG, (submission) => {
      submission.lists['hoat_dong']![0]![fields.date] = '31/02/2020';
    });
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, grid);
    const at = addressOf(listCell(grid, 'hoat_dong', 0, fields.date));
    expect(evaluation.status).toBe('invalid');
    expect(issuesOf(evaluation, 'value.date_invalid')).toEqual([
      expect.objectContaining({
        cell: at,
        severity: 'error',
        message: `Ô ${at} (Ngày tổ chức, dòng 1): "31/02/2020" không phải là ngày. Hãy nhập ngày theo dạng ngày/tháng/năm, ví dụ 19/08/2020.`,
      }),
    ]);
  });

  it("a real date cell, and a date outside the round's window (a warning naming the window)", async () => {
    const grid = await filledGrid(model, UNIT, BO_SUNG, (submission) => {
      submission.lists['hoat_dong']!.push(
        { ...activityRow(model, table, BO_SUNG), [fields.date]: { date: '2020-08-19' } },
        { ...activityRow(model, table, BO_SUNG), [fields.date]: '5/1/2020' },
      );
    });
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, grid);
    const at = addressOf(listCell(grid, 'hoat_dong', 2, fields.date));
    expect(evaluation.status).toBe('ready');
    expect(evaluation.examples['hoat_dong']!.map((r) => r.values[fields.date])).toEqual([
      '2020-06-10',
      '2020-08-19',
      '2020-01-05',
    ]);
    expect(evaluation.issues).toEqual([
      expect.objectContaining({
        code: 'hoat_dong.date_outside_window',
        cell: at,
        severity: 'warning',
        message: `Ô ${at} (Ngày tổ chức, dòng 3): ngày 05/01/2020 nằm ngoài thời gian của đợt báo cáo (10/06/2020 – 31/08/2020). Hãy kiểm tra lại ngày tổ chức.`,
      }),
    ]);
  });

  it('participants must be a whole number from 0', async () => {
    const grid = await filledGrid(model, UNIT, BO_SUNG, (submission) => {
      submission.lists['hoat_dong']![0]![fields.participants] = -3;
    });
    const evaluation = evaluateWorkbook(model, UNIT, BO_SUNG, grid);
    expect(evaluation.status).toBe('invalid');
    expect(evaluation.issues.map((i) => i.code)).toEqual(['value.negative']);
  });
});

describe('readDate', () => {
  it.each([
    ['19/8/2020', '2020-08-19'],
    ['19-08-2020', '2020-08-19'],
    ['19.08.2020', '2020-08-19'],
    ['29/02/2020', '2020-02-29'],
    ['29/02/2019', null],
    ['2020-08-19', null],
    ['19/8', null],
    ['khoảng tháng 8', null],
  ])('%s → %s', (typed, expected) => {
    expect(readDate({ v: typed, text: typed })).toBe(expected);
  });

  it('a serial is a date only when the reader says so', () => {
    expect(readDate({ v: 44062, kind: 'date' })).toBe('2020-08-19');
    expect(readDate({ v: 44062 })).toBeNull();
  });
});

describe('the master compiles activities by kind and level', () => {
  it('counts of activities and participants per kind × level, and the list with each unit', () => {
    const row = (kind: string, level: string, participants: number, name: string) => ({
      [fields.date]: '2020-08-19',
      [fields.name]: name,
      [fields.kind]: kind,
      [fields.level]: level,
      [fields.participants]: participants,
      [fields.summary]: 'Tốt',
    });
    const compiled = compileActivities(model, BO_SUNG, [
      {
        unitId: 'thanh-doan',
        activities: { hoat_dong: [row('ngay_hoi_19_8', 'thanh_pho', 300, 'Ngày hội thanh niên')] },
      },
      {
        unitId: UNIT,
        activities: {
          hoat_dong: [
            row('ngay_hoi_19_8', 'thon_to', 120, 'A'),
            row('ngay_hoi_19_8', 'thon_to', 80, 'B'),
            row('tham_hoi_tang_qua', 'quan_huyen', 15, 'C'),
          ],
        },
      },
    ])!;
    expect(compiled.byKindLevel).toEqual({
      ngay_hoi_19_8: { thon_to: { activities: 2, participants: 200 }, thanh_pho: { activities: 1, participants: 300 } },
      tham_hoi_tang_qua: { quan_huyen: { activities: 1, participants: 15 } },
    });
    // Registry order: the districts come before the sectors.
    expect(compiled.list.map((a) => [a.unitId, a.name])).toEqual([
      [UNIT, 'A'],
      [UNIT, 'B'],
      [UNIT, 'C'],
      ['thanh-doan', 'Ngày hội thanh niên'],
    ]);
    expect(compileActivities(model, SO_KET, [])).toBeNull();
  });

  it('a campaign file whose activities table lacks activityFields is refused at load', () => {
    expect(() =>
      modifiedModel((raw) => {
        delete (raw.tables as ListTable[]).find((t) => t.id === 'hoat_dong')!.activityFields;
      }),
    ).toThrow('bảng hoạt động cần activityFields');
  });
});
