/**
 * Honesty about reconstruction: the 2020 campaign file says which parts of Bảng 1 / Bảng 2 are our
 * reading of a scrambled source (group heading over (11)–(14), the four budget columns, units of
 * measure, Bảng 2's column order), and those notes reach the people who confirm the layout: under
 * the table in every unit's template (the master's guide tab lists them too: a one-line change in
 * master-workbook.ts, not tested here because the master view's shape is being changed in parallel).
 */
import { describe, expect, it } from 'vitest';
import { buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import { model, modifiedModel } from '../helpers/campaign.js';

const texts = (wb: ReturnType<typeof buildUnitWorkbook>, title: string) =>
  wb.sheets.find((s) => s.title === title)!.cells.map((c) => c.value);

describe('the campaign file says what is reconstructed', () => {
  it('Bảng 1: the group over (11)–(14), the four budget columns from III.1.g, the units of measure', () => {
    const bang1 = model.figuresTable('bang1');
    const notes = bang1.layoutNotes.join('\n');
    expect(notes).toContain('"Xây dựng lực lượng" trên các cột (11)–(14)');
    expect(notes).toContain('Bốn cột "Đầu tư ngân sách" (15)–(18) lấy theo mục III.1.g');
    expect(notes).toContain('Đơn vị tính');
    // The columns named in the notes are the ones marked reconstructed, in that order.
    const marked = bang1.indicators.map((ind, j) => (ind.reconstructed ? j + 1 : null)).filter((n) => n !== null);
    expect(marked).toEqual([11, 12, 13, 14, 15, 16, 17, 18]);
    expect(bang1.indicators.slice(10, 14).every((i) => i.group === 'Xây dựng lực lượng')).toBe(true);
  });

  it('Bảng 2: the column order, the two columns without a group, the units', () => {
    const bang2 = model.figuresTable('bang2');
    expect(bang2.layoutNotes.join('\n')).toMatch(/"Số người tham gia" rồi "Số lượt"/);
    expect(bang2.indicators.filter((i) => i.reconstructed).map((i) => [i.code, i.header])).toEqual([
      ['dia_ban.phuc_tap', ['Địa bàn phức tạp về ANTT']],
      ['dia_ban.khieu_kien', ['Khiếu kiện']],
    ]);
  });
});

describe('where coordinators confirm the layout', () => {
  it('every unit template prints the notes under the table, after the footnotes', () => {
    const workbookModel = buildUnitWorkbook(model, 'ubnd-ba-dinh', 'so-ket-2020');
    for (const table of model.figuresTables()) {
      const values = texts(workbookModel, table.sheetTitle);
      const at = (text: string) => values.indexOf(text);
      expect(table.layoutNotes.length).toBeGreaterThan(0);
      for (const note of table.layoutNotes) expect(at(note)).toBeGreaterThan(at(table.footnotes.at(-1)!));
    }
  });

  it('a table without notes prints none (the field is optional)', () => {
    const model = modifiedModel((raw) => {
      for (const table of raw.tables) delete table.layoutNotes;
    });
    expect(model.figuresTable('bang1').layoutNotes).toEqual([]);
    const values = texts(buildUnitWorkbook(model, 'ubnd-ba-dinh', 'so-ket-2020'), 'Bảng 1');
    expect(values.some((v) => typeof v === 'string' && v.startsWith('Bố cục cần xác nhận'))).toBe(false);
  });
});
