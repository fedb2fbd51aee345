/**
 * The unit workbook derived from the campaign: only the tabs the unit kind submits, the
 * unit's name, one row per period plus a total row, the official multi-row headers as merges,
 * validations, protection that leaves only input cells open, and the hidden codes.
 */
import { describe, expect, it } from 'vitest';
import type { Worksheet } from 'exceljs';
import { NoWorkbookError, buildUnitWorkbook } from '../../functions/layout/unit-workbook.js';
import type { CellModel, RangeModel, SheetModel, WorkbookModel } from '../../functions/layout/model.js';
import { model, yearlyModel } from '../helpers/campaign.js';
import { templateXlsx } from '../helpers/template.js';
import { loadWorkbook } from '../helpers/xlsx-fill.js';

const SO_KET = 'so-ket-2020';
const BO_SUNG = 'bo-sung-2020';

const sheet = (workbookModel: WorkbookModel, title: string): SheetModel => {
  const sheet = workbookModel.sheets.find((x) => x.title === title);
  if (!sheet) throw new Error(`no tab ${title}`);
  return sheet;
};
const cell = (s: SheetModel, row: number, col: number): CellModel | undefined =>
  s.cells.find((c) => c.row === row && c.col === col);
const valueAt = (s: SheetModel, row: number, col: number) => cell(s, row, col)?.value ?? null;
const inRanges = (ranges: RangeModel[], row: number, col: number) =>
  ranges.some((r) => row >= r.startRow && row < r.endRow && col >= r.startCol && col < r.endCol);
/** The range a header text covers: its merge, or its single cell. */
function span(sheetModel: SheetModel, text: string, fromRow = 0): [number, number, number, number] {
  const cell = sheetModel.cells.find((x) => x.value === text && x.row >= fromRow);
  if (!cell) throw new Error(`no header "${text}"`);
  const merge = sheetModel.merges.find((r) => r.startRow === cell.row && r.startCol === cell.col);
  return merge
    ? [merge.startRow, merge.endRow, merge.startCol, merge.endCol]
    : [cell.row, cell.row + 1, cell.col, cell.col + 1];
}
const codeColumn = (s: SheetModel) =>
  s.cells.filter((c) => c.col === 0 && c.value !== null && c.value !== undefined).map((c) => [c.row, c.value]);

describe('tabs: only what the unit kind submits in the round', () => {
  it.each([
    [
      'ubnd-ba-dinh',
      SO_KET,
      ['Hướng dẫn', 'Bảng 1', 'Bảng 2', 'Đề cương báo cáo', 'Điển hình', 'Khen thưởng', 'Xác nhận'],
    ],
    ['ubnd-ung-hoa', BO_SUNG, ['Hướng dẫn', 'Bảng 1', 'Bảng 2', 'Hoạt động', 'Xác nhận']],
    ['ca-ba-dinh', SO_KET, ['Hướng dẫn', 'Khen thưởng', 'Xác nhận']],
    ['catp-tham-muu', SO_KET, ['Hướng dẫn', 'Khen thưởng', 'Xác nhận']],
    ['catp-xdpt', SO_KET, ['Hướng dẫn', 'Khen thưởng', 'Xác nhận']],
    ['catp-anctnb', SO_KET, ['Hướng dẫn', 'Khen thưởng', 'Xác nhận']],
    ['catp-ankt', SO_KET, ['Hướng dẫn', 'Khen thưởng', 'Xác nhận']],
    ['so-gddt', SO_KET, ['Hướng dẫn', 'Bảng 1', 'Bảng 2', 'Đề cương báo cáo', 'Điển hình', 'Xác nhận']],
    ['thanh-doan', BO_SUNG, ['Hướng dẫn', 'Bảng 1', 'Bảng 2', 'Hoạt động', 'Xác nhận']],
  ])('%s in %s', (unitId, roundId, tabs) => {
    const workbookModel = buildUnitWorkbook(model, unitId, roundId);
    expect(workbookModel.sheets.map((s) => s.title)).toEqual(tabs);
    expect(workbookModel.locale).toBe('vi_VN');
    expect(workbookModel.timeZone).toBe('Asia/Ho_Chi_Minh');
  });

  it("a sector's Bảng 2 is marked optional, on the tab and in the guide", () => {
    const workbookModel = buildUnitWorkbook(model, 'so-gddt', BO_SUNG);
    expect(valueAt(sheet(workbookModel, 'Bảng 2'), 0, 20)).toBe('Bảng 2 (không bắt buộc)');
    expect(valueAt(sheet(workbookModel, 'Bảng 1'), 0, 19)).toBe('Bảng 1');
    const guide = sheet(workbookModel, 'Hướng dẫn');
    const listed = guide.cells
      .filter((c) => c.col === 2 && typeof c.value === 'string' && c.value.startsWith('Bảng'))
      .map((c) => c.value);
    expect(listed).toEqual(['Bảng 1', 'Bảng 2 (không bắt buộc; nếu nhập thì nhập đủ)']);
  });

  it('no workbook for a unit with nothing to submit in the round', () => {
    expect(() => buildUnitWorkbook(model, 'ca-ba-dinh', BO_SUNG)).toThrow(NoWorkbookError);
    expect(() => buildUnitWorkbook(model, 'ca-ba-dinh', BO_SUNG)).toThrow(
      'Đơn vị "ca-ba-dinh" không có biểu mẫu nào trong đợt "bo-sung-2020".',
    );
    expect(() => buildUnitWorkbook(model, 'catp', SO_KET)).toThrow(NoWorkbookError);
  });
});

describe('the unit and the round, written on the workbook', () => {
  const workbookModel = buildUnitWorkbook(model, 'ubnd-son-tay', SO_KET);

  it("the title and every data tab carry the unit's name", () => {
    expect(workbookModel.title).toBe('Sơ kết QĐ 521 (2015–2020) – Báo cáo sơ kết – UBND thị xã Sơn Tây');
    for (const sheet of workbookModel.sheets.slice(1)) expect(valueAt(sheet, 0, 1)).toBe('ĐƠN VỊ: UBND thị xã Sơn Tây');
  });

  it('the guide gives the plan, the unit, the deadline as read, the lock time and the coordinator', () => {
    const guide = sheet(workbookModel, 'Hướng dẫn');
    const info = Object.fromEntries([3, 4, 5, 6, 7, 8].map((r) => [valueAt(guide, r, 1), valueAt(guide, r, 2)]));
    expect(info).toEqual({
      'Kế hoạch':
        'Sơ kết thực hiện Quyết định số 521/QĐ-TTg về "Ngày hội toàn dân bảo vệ an ninh Tổ quốc" giai đoạn 2015 – 2020 (Kế hoạch số 127/KH-UBND ngày 17/6/2020 của UBND thành phố Hà Nội)',
      'Đơn vị': 'UBND thị xã Sơn Tây',
      'Đợt báo cáo':
        'Báo cáo sơ kết: Báo cáo sơ kết, số liệu từ tháng 01/2015 đến tháng 6/2020, kèm đề nghị khen thưởng',
      'Hạn gửi': 'Trước ngày 15/07/2020 (gửi muộn nhất 14/07/2020 lúc 23:59)',
      'Khóa sổ': '00:00 22/07/2020: sau thời điểm này thay đổi không còn được tiếp nhận',
      'Đầu mối': 'Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố): xdpt-tonghop@hanoi.example',
    });
    expect(guide.cells.find((c) => c.value === 'Xác nhận' && c.col === 1)).toBeDefined();
    expect(valueAt(guide, guide.cells.find((c) => c.value === 'Xác nhận' && c.col === 1)!.row, 2)).toBe(
      'Họ và tên người lập báo cáo; Số điện thoại người lập; Họ và tên thủ trưởng đơn vị; Đường dẫn bản PDF báo cáo đã ký, đóng dấu; ô "Đã hoàn thành, gửi báo cáo"',
    );
  });

  it('the hidden identity row: unit, round, campaign, version', () => {
    const guide = sheet(workbookModel, 'Hướng dẫn');
    const row = guide.cells.find((c) => c.value === '#identity')!.row;
    expect([1, 2, 3, 4].map((c) => valueAt(guide, row, c))).toEqual(['ubnd-son-tay', SO_KET, 'hanoi-521-2015-2020', 1]);
    expect(guide.rows.find((r) => r.index === row)?.hidden).toBe(true);
  });
});

describe('figures tables', () => {
  it('one row per period of the round, each coded, and a total row only under several periods', () => {
    const bang1 = sheet(buildUnitWorkbook(model, 'ubnd-ba-dinh', SO_KET), 'Bảng 1');
    // The plan asks one figure per indicator for the round's whole window: one period row, no
    // total repeating it.
    expect(codeColumn(bang1).slice(1)).toEqual([
      [11, '#bang1'],
      [12, '2015-2020'],
      [13, '#end'],
    ]);
    expect(valueAt(bang1, 12, 1)).toBe('Giai đoạn 2015 – 2020');
    // A campaign may split a round into several periods (here by year): one coded row each.
    const yearly = sheet(buildUnitWorkbook(yearlyModel, 'ubnd-ba-dinh', SO_KET), 'Bảng 1');
    expect(codeColumn(yearly).slice(1)).toEqual([
      [11, '#bang1'],
      [12, '2015'],
      [13, '2016'],
      [14, '2017'],
      [15, '2018'],
      [16, '2019'],
      [17, '2020-h1'],
      [18, 'total'],
      [19, '#end'],
    ]);
    expect([12, 17, 18].map((r) => valueAt(yearly, r, 1))).toEqual([
      'Năm 2015',
      '6 tháng đầu năm 2020',
      'Tổng cộng (hệ thống tự tính)',
    ]);
    const bang2 = sheet(buildUnitWorkbook(model, 'ubnd-ba-dinh', BO_SUNG), 'Bảng 2');
    expect(codeColumn(bang2).slice(1)).toEqual([
      [11, '#bang2'],
      [12, '2020-bs'],
      [13, '#end'],
    ]);
    expect(valueAt(bang2, 12, 1)).toBe('Từ 10/6 đến 31/8/2020');
  });

  it('Bảng 1 headers: the official groups as merged multi-row headers, units and column numbers', () => {
    const sheetModel = sheet(buildUnitWorkbook(model, 'ubnd-ba-dinh', SO_KET), 'Bảng 1');
    expect(span(sheetModel, 'Kỳ báo cáo')).toEqual([6, 9, 1, 2]);
    expect(span(sheetModel, 'Công tác tuyên truyền')).toEqual([6, 7, 2, 8]);
    expect(span(sheetModel, 'Tuyên truyền trên thông tin đại chúng')).toEqual([7, 9, 2, 3]);
    expect(span(sheetModel, 'Kẻ vẽ pa nô, khẩu hiệu')).toEqual([7, 9, 3, 4]);
    expect(span(sheetModel, 'Phát tài liệu')).toEqual([7, 8, 4, 6]);
    expect(span(sheetModel, 'Đầu, loại tài liệu')).toEqual([8, 9, 4, 5]);
    expect(span(sheetModel, 'Số lượng bản phát hành')).toEqual([8, 9, 5, 6]);
    expect(span(sheetModel, 'Tuyên truyền tập trung')).toEqual([7, 8, 6, 8]);
    expect(span(sheetModel, 'Buổi')).toEqual([8, 9, 6, 7]);
    expect(span(sheetModel, 'Người dự')).toEqual([8, 9, 7, 8]);
    expect(span(sheetModel, 'Công tác xây dựng mô hình')).toEqual([6, 7, 8, 10]);
    expect(span(sheetModel, 'Tổng số mô hình xây dựng trong giai đoạn')).toEqual([7, 9, 8, 9]);
    expect(span(sheetModel, 'Tổng số mô hình hiện có')).toEqual([7, 9, 9, 10]);
    expect(span(sheetModel, 'Số CBCS Đội XDPT cấp huyện')).toEqual([7, 9, 15, 16]);
    expect(span(sheetModel, 'Công tác TĐKT')).toEqual([6, 7, 10, 12]);
    expect(span(sheetModel, 'Xây dựng lực lượng')).toEqual([6, 7, 12, 16]);
    expect(span(sheetModel, 'Đầu tư ngân sách (triệu đồng)')).toEqual([6, 7, 16, 20]);
    expect(span(sheetModel, 'Sơ kết, tổng kết và khen thưởng')).toEqual([7, 9, 19, 20]);
    expect(Array.from({ length: 18 }, (_, j) => valueAt(sheetModel, 9, 2 + j))).toEqual(
      model.figuresTable('bang1').indicators.map((i) => i.unit),
    );
    expect(Array.from({ length: 18 }, (_, j) => valueAt(sheetModel, 10, 2 + j))).toEqual(
      Array.from({ length: 18 }, (_, j) => `(${j + 1})`),
    );
  });

  it('Bảng 2 headers: the festival band over five levels of two columns each', () => {
    const sheetModel = sheet(buildUnitWorkbook(model, 'ubnd-ba-dinh', SO_KET), 'Bảng 2');
    expect(span(sheetModel, 'Kết quả tổ chức Ngày hội toàn dân bảo vệ ANTQ')).toEqual([6, 7, 2, 12]);
    expect(
      [
        'Cơ quan, doanh nghiệp, nhà trường',
        'Thôn, xóm, tổ dân phố',
        'Xã, phường, thị trấn',
        'Cấp quận, huyện, thị xã',
        'Cấp Thành phố',
      ].map((t) => span(sheetModel, t)),
    ).toEqual([
      [7, 8, 2, 4],
      [7, 8, 4, 6],
      [7, 8, 6, 8],
      [7, 8, 8, 10],
      [7, 8, 10, 12],
    ]);
    expect(
      sheetModel.cells
        .filter((c) => c.row === 8 && (c.value === 'Số lượt' || c.value === 'Số người tham gia'))
        .map((c) => [c.col, c.value]),
    ).toEqual(
      // The seed's order: "Số người tham gia" before "Số lượt" at every level.
      [2, 3, 4, 5, 6, 7, 8, 9, 10, 11].map((col) => [col, col % 2 === 0 ? 'Số người tham gia' : 'Số lượt']),
    );
    // No group heading over these two in the seed: each header spans every header row.
    expect(span(sheetModel, 'Địa bàn phức tạp về ANTT')).toEqual([6, 9, 12, 13]);
    expect(span(sheetModel, 'Khiếu kiện')).toEqual([6, 9, 13, 14]);
    expect(sheetModel.cells.some((c) => c.value === 'Chuyển hóa địa bàn')).toBe(false);
    expect(span(sheetModel, 'Tin về ANTT do nhân dân cung cấp')).toEqual([6, 7, 14, 18]);
    expect(span(sheetModel, 'Giáo dục người lầm lỗi')).toEqual([6, 7, 18, 20]);
    expect(span(sheetModel, 'Giúp đỡ người tái hòa nhập cộng đồng')).toEqual([6, 7, 20, 21]);
    expect(span(sheetModel, 'Tổng số người được giúp đỡ')).toEqual([7, 9, 20, 21]);
  });

  it('number cells: validations (≥ 0, whole numbers where counted) and Vietnamese number formats', () => {
    const sheetModel = sheet(buildUnitWorkbook(model, 'ubnd-ba-dinh', SO_KET), 'Bảng 1');
    const dataCells = sheetModel.cells.filter((c) => c.row === 12 && c.col >= 2);
    expect(dataCells).toHaveLength(18);
    expect(cell(sheetModel, 12, 2)?.validation).toEqual({
      kind: 'number',
      min: 0,
      integer: true,
      strict: false,
      message: 'Nhập số nguyên từ 0 trở lên, ví dụ 1.234',
    });
    expect(cell(sheetModel, 12, 2)?.style?.numberFormat).toBe('#,##0');
    expect(cell(sheetModel, 12, 16)?.validation).toEqual({
      kind: 'number',
      min: 0,
      integer: false,
      strict: false,
      message: 'Nhập số từ 0 trở lên, phần thập phân dùng dấu phẩy, ví dụ 12,5',
    });
    expect(cell(sheetModel, 12, 16)?.style?.numberFormat).toBe('#,##0.###');
    expect(dataCells.every((c) => c.value === null && c.validation?.kind === 'number' && c.validation.min === 0)).toBe(
      true,
    );
    // The total row is computed by the system: no validation, not an input.
    expect(sheetModel.cells.filter((c) => c.row === 13 && c.col >= 2).every((c) => !c.validation)).toBe(true);
  });
});

describe('lists, checklist and confirmation', () => {
  const workbookModel = buildUnitWorkbook(model, 'ubnd-ba-dinh', SO_KET);

  it('nominations: drop-downs of labels, checkboxes, whole numbers, the dossier block, 20 rows', () => {
    const sheetModel = sheet(workbookModel, 'Khen thưởng');
    expect(cell(sheetModel, 17, 2)?.validation).toEqual({
      kind: 'list',
      values: ['Bằng khen Bộ Công an', 'Bằng khen UBND Thành phố', 'Giấy khen Giám đốc CATP'],
      strict: false,
      message: 'Chọn trong danh sách thả xuống',
    });
    expect(cell(sheetModel, 17, 3)?.validation).toMatchObject({ kind: 'list', values: ['Tập thể', 'Cá nhân'] });
    expect(cell(sheetModel, 17, 4)?.validation).toMatchObject({
      kind: 'list',
      values: ['Trong lực lượng CAND', 'Ngoài lực lượng CAND'],
    });
    expect(cell(sheetModel, 17, 7)?.validation).toMatchObject({
      kind: 'list',
      values: model.options('danh_hieu').map((o) => o.label),
    });
    expect(cell(sheetModel, 17, 12)?.validation).toMatchObject({ kind: 'number', min: 0, integer: true });
    expect(cell(sheetModel, 17, 15)).toMatchObject({ value: false, validation: { kind: 'checkbox' } });
    expect(cell(sheetModel, 17, 5)?.validation).toBeUndefined();
    expect(
      codeColumn(sheetModel).filter(
        ([, v]) => String(v).startsWith('#') || ['to_trinh', 'bien_ban', 'trich_ngang'].includes(String(v)),
      ),
    ).toEqual([
      [1, '#status'],
      [9, '#khen_thuong.ho_so'],
      [10, 'to_trinh'],
      [11, 'bien_ban'],
      [12, 'trich_ngang'],
      [16, '#khen_thuong'],
      [37, '#end'],
    ]);
    expect([10, 11, 12].map((r) => cell(sheetModel, r, 5))).toEqual(
      [10, 11, 12].map(() => expect.objectContaining({ value: false, validation: { kind: 'checkbox' } })),
    );
    expect(span(sheetModel, 'Danh hiệu thi đua')).toEqual([14, 15, 7, 12]);
    expect(span(sheetModel, 'Số lần được tặng')).toEqual([14, 15, 12, 14]);
    expect(span(sheetModel, 'Hồ sơ', 13)).toEqual([14, 15, 15, 17]);
    expect(span(sheetModel, 'Hình thức khen thưởng')).toEqual([14, 16, 2, 3]);
    expect(sheetModel.cells.filter((c) => c.row === 15 && c.col >= 7 && c.col <= 11).map((c) => c.value)).toEqual([
      'Năm 2015',
      'Năm 2016',
      'Năm 2017',
      'Năm 2018',
      'Năm 2019',
    ]);
  });

  it('examples: a drop-down for the type; the checklist: every outline item coded under its section', () => {
    expect(cell(sheet(workbookModel, 'Điển hình'), 10, 3)?.validation).toMatchObject({
      kind: 'list',
      values: ['Tập thể', 'Cá nhân'],
    });
    const outline = sheet(workbookModel, 'Đề cương báo cáo');
    const codes = codeColumn(outline).map(([, v]) => v);
    expect(codes.filter((v) => v === '#section')).toHaveLength(5);
    expect(codes.filter((v) => typeof v === 'string' && !v.startsWith('#'))).toEqual(
      model.checklistTable('bao_cao').sections.flatMap((s) => s.items.map((i) => i.code)),
    );
  });

  it('confirmation: the submit checkbox unticked, the phone kept as text', () => {
    const sheetModel = sheet(workbookModel, 'Xác nhận');
    expect(codeColumn(sheetModel)).toEqual([
      [1, '#status'],
      [5, '#xac_nhan'],
      [6, 'da_hoan_thanh'],
      [7, 'nguoi_lap'],
      [8, 'dien_thoai'],
      [9, 'thu_truong'],
      [10, 'link_bao_cao'],
    ]);
    expect(cell(sheetModel, 6, 2)).toMatchObject({ value: false, validation: { kind: 'checkbox' } });
    expect(cell(sheetModel, 8, 2)?.style?.numberFormat).toBe('@');
    expect([7, 8, 9, 10].map((r) => valueAt(sheetModel, r, 1))).toEqual([
      'Họ và tên người lập báo cáo *',
      'Số điện thoại người lập *',
      'Họ và tên thủ trưởng đơn vị *',
      'Đường dẫn bản PDF báo cáo đã ký, đóng dấu *',
    ]);
  });
});

describe('protection: only input cells are open', () => {
  const workbookModel = buildUnitWorkbook(model, 'ubnd-ba-dinh', SO_KET);

  it('exact input ranges of Bảng 1, Điển hình and Xác nhận; none on the guide', () => {
    expect(sheet(workbookModel, 'Bảng 1').protection?.unprotected).toEqual([
      { startRow: 12, endRow: 13, startCol: 2, endCol: 20 },
    ]);
    expect(sheet(workbookModel, 'Điển hình').protection?.unprotected).toEqual([
      { startRow: 10, endRow: 20, startCol: 2, endCol: 5 },
    ]);
    expect(sheet(workbookModel, 'Xác nhận').protection?.unprotected).toEqual(
      [6, 7, 8, 9, 10].map((r) => ({ startRow: r, endRow: r + 1, startCol: 2, endCol: 3 })),
    );
    expect(sheet(workbookModel, 'Hướng dẫn').protection?.unprotected).toEqual([]);
    expect(sheet(workbookModel, 'Bảng 1').protection?.description).toBe(
      'Bảng 1: Tiêu đề và mã ẩn của biểu mẫu: chỉ nhập vào các ô nền trắng.',
    );
  });

  it.each(['Bảng 1', 'Bảng 2', 'Đề cương báo cáo', 'Điển hình', 'Khen thưởng', 'Xác nhận'])(
    '%s: every open cell is a white input cell, every input cell is open',
    (title) => {
      const sheetModel = sheet(workbookModel, title);
      const open = sheetModel.protection!.unprotected;
      const inputs = sheetModel.cells.filter((c) => c.style?.fill === '#FFFFFF');
      expect(inputs.length).toBeGreaterThan(0);
      for (const cellModel of inputs) expect(inRanges(open, cellModel.row, cellModel.col)).toBe(true);
      for (const rangeModel of open) {
        for (let row = rangeModel.startRow; row < rangeModel.endRow; row++) {
          for (let col = rangeModel.startCol; col < rangeModel.endCol; col++) {
            expect(cell(sheetModel, row, col)?.style?.fill).toBe('#FFFFFF');
            expect(col).toBeGreaterThan(0); // never the code column
          }
        }
      }
    },
  );
});

describe('hidden codes', () => {
  const workbookModel = buildUnitWorkbook(model, 'ubnd-ba-dinh', SO_KET);

  it.each(workbookModel.sheets.map((s) => [s.title, s] as const))(
    '%s: the code column is hidden, the status marker is in it',
    (_title, sheetModel) => {
      expect(sheetModel.columns.find((c) => c.index === 0)).toMatchObject({ hidden: true });
      expect(valueAt(sheetModel, 1, 0)).toBe('#status');
      expect(valueAt(sheetModel, 1, 2)).toBe('Chưa nhập số liệu');
    },
  );

  it('code rows are hidden, with the codes of the schema', () => {
    const bang1 = sheet(workbookModel, 'Bảng 1');
    expect(bang1.rows.filter((r) => r.hidden).map((r) => r.index)).toEqual([11]);
    expect(bang1.cells.filter((c) => c.row === 11).map((c) => c.value)).toEqual([
      '#bang1',
      '#label',
      ...model.figuresTable('bang1').indicators.map((i) => i.code),
    ]);
    expect(bang1.frozenRows).toBe(12);
    expect(bang1.frozenCols).toBe(2);
    expect(
      sheet(workbookModel, 'Khen thưởng')
        .rows.filter((r) => r.hidden)
        .map((r) => r.index),
    ).toEqual([9, 16]);
    expect(
      sheet(workbookModel, 'Xác nhận')
        .rows.filter((r) => r.hidden)
        .map((r) => r.index),
    ).toEqual([5]);
    expect(
      sheet(workbookModel, 'Đề cương báo cáo')
        .cells.filter((c) => c.row === 8)
        .map((c) => c.value),
    ).toEqual(['#bao_cao', '#label', '#label', 'noi_dung', 'tham_chieu']);
  });
});

describe('the rendered .xlsx keeps it', () => {
  it('hidden code column and row, sheet protection, unlocked inputs, validations', async () => {
    const workbook = await loadWorkbook(await templateXlsx(model, 'ubnd-ba-dinh', SO_KET));
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      'Hướng dẫn',
      'Bảng 1',
      'Bảng 2',
      'Đề cương báo cáo',
      'Điển hình',
      'Khen thưởng',
      'Xác nhận',
    ]);
    const worksheet = workbook.getWorksheet('Bảng 1') as Worksheet & { sheetProtection?: { sheet?: boolean } };
    expect(worksheet.sheetProtection?.sheet).toBe(true);
    expect(worksheet.getColumn(1).hidden).toBe(true);
    expect(worksheet.getRow(12).hidden).toBe(true);
    expect(worksheet.getCell('A12').value).toBe('#bang1');
    expect(worksheet.getCell('C13').protection).toMatchObject({ locked: false });
    expect(worksheet.getCell('C19').protection?.locked).not.toBe(false);
    expect(worksheet.getCell('C7').protection?.locked).not.toBe(false);
    expect(worksheet.getCell('C13').dataValidation).toMatchObject({
      type: 'whole',
      operator: 'greaterThanOrEqual',
      formulae: [0],
    });
    expect(worksheet.getCell('Q13').dataValidation).toMatchObject({
      type: 'decimal',
      operator: 'greaterThanOrEqual',
      formulae: [0],
    });
    const khenThuong = workbook.getWorksheet('Khen thưởng')!;
    expect(khenThuong.getCell('C18').dataValidation).toMatchObject({
      type: 'list',
      formulae: ['"Bằng khen Bộ Công an,Bằng khen UBND Thành phố,Giấy khen Giám đốc CATP"'],
    });
    expect(khenThuong.getCell('P18').dataValidation).toMatchObject({ type: 'list', formulae: ['"☐,☑"'] });
  });
});
