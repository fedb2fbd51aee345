/**
 * What people do to a workbook's structure: tabs renamed, deleted, duplicated; columns and
 * rows inserted or deleted; hidden codes cleared or edited; data cells merged; a table pasted
 * one column off; another unit's or another round's workbook. Each case starts from a valid,
 * ticked submission read back from a rendered template and changes one thing.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import type { WorkbookGrid } from '../../functions/core/grid.js';
// Read on the campaign split by year (six period rows), so that rows inserted, deleted or shifted inside a
// figures table have neighbours whose figures must still read right; the 2020 plan's one period per round
// takes the same code path with a single row (see the last test).
import { model as planModel, yearlyModel as model } from '../helpers/campaign.js';
import { figuresFor, filledGrid } from '../helpers/fill-workbook.js';
import {
  codeColumn,
  codeRow,
  deleteColumn,
  deleteRow,
  deleteSheet,
  duplicateSheet,
  figureCell,
  findMarker,
  insertColumn,
  insertRow,
  listCell,
  mergeCells,
  put,
  renameSheet,
  sheetNamed,
  shiftBlock,
} from '../helpers/grid-edit.js';

const UNIT = 'ubnd-ba-dinh';
const ROUND = 'so-ket-2020';
const COORDINATOR = 'Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố)';
const bang1 = figuresFor(model, UNIT, ROUND, 'bang1');
const bang2 = figuresFor(model, UNIT, ROUND, 'bang2');

let ready: WorkbookGrid;
beforeAll(async () => {
  ready = await filledGrid(model, UNIT, ROUND);
});

/** Evaluates a copy of the valid submission after `change`. */
function afterChange(change: (grid: WorkbookGrid) => void, unitId = UNIT, roundId = ROUND): Evaluation {
  const grid = structuredClone(ready);
  change(grid);
  return evaluateWorkbook(model, unitId, roundId, grid);
}
const brief = (ev: Evaluation) =>
  ev.issues.map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message }));

it('the starting point is ready, with no issue', () => {
  const evaluation = afterChange(() => {});
  expect(evaluation.status).toBe('ready');
  expect(evaluation.issues).toEqual([]);
});

describe('tabs', () => {
  it('a renamed tab is still read, with a warning', () => {
    const evaluation = afterChange((g) => renameSheet(g, 'Bảng 1', 'Bang 1 - Ba Dinh'));
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bang 1 - Ba Dinh',
        cell: null,
        code: 'structure.sheet_renamed',
        severity: 'warning',
        message:
          'Trang "Bảng 1" đã bị đổi tên thành "Bang 1 - Ba Dinh". Hệ thống vẫn đọc được, nhưng hãy đổi lại tên "Bảng 1" cho thống nhất.',
      },
    ]);
    expect(evaluation.status).toBe('ready');
    expect(evaluation.values.bang1).toEqual(bang1);
  });

  it('a deleted tab is an error and its figures are not reported', () => {
    const evaluation = afterChange((g) => deleteSheet(g, 'Bảng 2'));
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 2',
        cell: null,
        code: 'structure.sheet_missing',
        severity: 'error',
        message: `Không tìm thấy trang "Bảng 2" (Bảng 2). Trang có thể đã bị xóa hoặc mất mã ẩn; hãy khôi phục từ Tệp → Lịch sử phiên bản, hoặc liên hệ ${COORDINATOR}.`,
      },
    ]);
    expect(evaluation.status).toBe('invalid');
    expect(evaluation.values.bang2!['2017']!['tin_bao.tong_so']).toBeNull();
    expect(evaluation.values.bang1).toEqual(bang1);
  });

  it('without the confirmation tab nothing can be submitted', () => {
    const evaluation = afterChange((g) => deleteSheet(g, 'Xác nhận'));
    expect(evaluation.submitted).toBe(false);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Xác nhận',
        cell: null,
        code: 'structure.sheet_missing',
        severity: 'error',
        message: `Không tìm thấy trang "Xác nhận" (XÁC NHẬN VÀ GỬI BÁO CÁO). Trang có thể đã bị xóa hoặc mất mã ẩn; hãy khôi phục từ Tệp → Lịch sử phiên bản, hoặc liên hệ ${COORDINATOR}.`,
      },
    ]);
  });

  it('a duplicated tab is an error; the tab still named as in the template is the one read', () => {
    const evaluation = afterChange((grid) => {
      const copy = duplicateSheet(grid, 'Bảng 1');
      put(figureCell({ sheets: [copy] }, 'bang1', '2017', 'tuyen_truyen.dai_chung'), 999);
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: null,
        code: 'structure.sheet_duplicated',
        severity: 'error',
        message:
          'Có 2 trang cùng chứa Bảng 1: "Bảng 1", "Bản sao của Bảng 1". Hãy xóa các bản sao, chỉ giữ một trang "Bảng 1".',
      },
    ]);
    expect(evaluation.values.bang1).toEqual(bang1);
  });

  it('a duplicated tab whose original was deleted reads the copy, as renamed', () => {
    const evaluation = afterChange((grid) => {
      duplicateSheet(grid, 'Bảng 2');
      deleteSheet(grid, 'Bảng 2');
    });
    expect(evaluation.issues.map((i) => [i.sheet, i.code])).toEqual([
      ['Bản sao của Bảng 2', 'structure.sheet_renamed'],
    ]);
    expect(evaluation.values.bang2).toEqual(bang2);
  });
});

describe('columns', () => {
  it('an inserted column is harmless until data is typed in it; that data is reported, not counted', () => {
    const col = codeColumn(ready, 'bang1', 'tuyen_truyen.tai_lieu_dau_loai');
    const empty = afterChange((g) => insertColumn(sheetNamed(g, 'Bảng 1'), col));
    expect(empty.issues).toEqual([]);
    expect(empty.values.bang1).toEqual(bang1);

    const evaluation = afterChange((grid) => {
      const sheet = sheetNamed(grid, 'Bảng 1');
      insertColumn(sheet, col);
      put({ sheet, row: codeRow(grid, 'bang1', '2016'), col }, 5);
      put({ sheet, row: codeRow(grid, 'bang1', '2018'), col }, 'có 3 đợt');
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'E14',
        code: 'structure.uncoded_data',
        severity: 'error',
        message:
          'Ô E14 có dữ liệu ("5") nhưng nằm ngoài các ô của biểu mẫu (cột, dòng chèn thêm hoặc dán lệch). Số liệu này không được tính; hãy chuyển vào đúng ô rồi xóa ở đây.',
      },
      {
        sheet: 'Bảng 1',
        cell: 'E16',
        code: 'structure.uncoded_data',
        severity: 'error',
        message:
          'Ô E16 có dữ liệu ("có 3 đợt") nhưng nằm ngoài các ô của biểu mẫu (cột, dòng chèn thêm hoặc dán lệch). Số liệu này không được tính; hãy chuyển vào đúng ô rồi xóa ở đây.',
      },
    ]);
    expect(evaluation.values.bang1).toEqual(bang1);
  });

  it('a deleted column is an error naming the column; the others still read right', () => {
    const evaluation = afterChange((g) =>
      deleteColumn(sheetNamed(g, 'Bảng 1'), codeColumn(g, 'bang1', 'tuyen_truyen.pano_khau_hieu')),
    );
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: null,
        code: 'structure.column_missing',
        severity: 'error',
        message:
          'Trang "Bảng 1": không tìm thấy cột "Kẻ vẽ pa nô, khẩu hiệu" (mã ẩn tuyen_truyen.pano_khau_hieu đã bị xóa hoặc sửa). Số liệu của cột này chưa được tính; hãy khôi phục cột từ Tệp → Lịch sử phiên bản.',
      },
    ]);
    expect(evaluation.values.bang1!['2017']!['tuyen_truyen.pano_khau_hieu']).toBeNull();
    expect(evaluation.values.bang1!['2017']!['tuyen_truyen.tai_lieu_ban']).toBe(
      bang1['2017']!['tuyen_truyen.tai_lieu_ban'],
    );
    expect(evaluation.values.bang1!['2020-h1']!['ngan_sach.khen_thuong']).toBe(
      bang1['2020-h1']!['ngan_sach.khen_thuong'],
    );
  });
});

describe('rows', () => {
  it('a row inserted inside a figures table with data in it is reported; the periods still read right', () => {
    const evaluation = afterChange((grid) => {
      const sheet = sheetNamed(grid, 'Bảng 1');
      const at = codeRow(grid, 'bang1', '2017');
      insertRow(sheet, at);
      put({ sheet, row: at, col: 1 }, 'Năm 2016 (bổ sung)');
      put({ sheet, row: at, col: codeColumn(grid, 'bang1', 'tuyen_truyen.dai_chung') }, 12);
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'C15',
        code: 'structure.uncoded_data',
        severity: 'error',
        message:
          'Ô C15 có dữ liệu ("12") nhưng nằm ngoài các ô của biểu mẫu (cột, dòng chèn thêm hoặc dán lệch). Số liệu này không được tính; hãy chuyển vào đúng ô rồi xóa ở đây.',
      },
    ]);
    expect(evaluation.values.bang1).toEqual(bang1);
  });

  it('rows inserted above a table shift nothing that matters', () => {
    const evaluation = afterChange((grid) => {
      insertRow(sheetNamed(grid, 'Bảng 2'), 2);
      insertRow(sheetNamed(grid, 'Bảng 2'), 2);
    });
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.values.bang2).toEqual(bang2);
  });

  it('a row inserted in a list is simply one more entry', () => {
    const evaluation = afterChange((grid) => {
      const first = listCell(grid, 'dien_hinh', 1, 'ten');
      insertRow(first.sheet, first.row);
      put(first, 'Công an phường Kim Mã');
      put(listCell(grid, 'dien_hinh', 1, 'loai'), 'Tập thể');
      put(listCell(grid, 'dien_hinh', 1, 'thanh_tich'), 'Xây dựng mô hình "Khu dân cư an toàn".');
    });
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.examples.dien_hinh!.map((e) => e.values.ten)).toEqual([
      'Tổ dân phố số 7',
      'Công an phường Kim Mã',
      'Ông Nguyễn Văn Hùng, tổ trưởng tổ dân phố số 3',
      'Trường THCS Nguyễn Trãi',
    ]);
  });

  it('a deleted period row is an error naming the period', () => {
    const evaluation = afterChange((g) => deleteRow(sheetNamed(g, 'Bảng 1'), codeRow(g, 'bang1', '2018')));
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: null,
        code: 'structure.row_missing',
        severity: 'error',
        message:
          'Trang "Bảng 1": không tìm thấy dòng "Năm 2018" (mã ẩn 2018 đã bị xóa hoặc sửa). Số liệu của dòng này chưa được tính; hãy khôi phục dòng từ Tệp → Lịch sử phiên bản.',
      },
    ]);
    expect(evaluation.values.bang1!['2018']!['tuyen_truyen.dai_chung']).toBeNull();
    expect(evaluation.values.bang1!['2019']).toEqual(bang1['2019']);
  });
});

describe('hidden codes', () => {
  it('a period code cleared: the row is missing and its figures are reported as outside the form', () => {
    const evaluation = afterChange((g) =>
      put({ sheet: sheetNamed(g, 'Bảng 2'), row: codeRow(g, 'bang2', '2016'), col: 0 }, null),
    );
    const issues = brief(evaluation);
    expect(issues[0]).toEqual({
      sheet: 'Bảng 2',
      cell: null,
      code: 'structure.row_missing',
      severity: 'error',
      message:
        'Trang "Bảng 2": không tìm thấy dòng "Năm 2016" (mã ẩn 2016 đã bị xóa hoặc sửa). Số liệu của dòng này chưa được tính; hãy khôi phục dòng từ Tệp → Lịch sử phiên bản.',
    });
    const stray = issues.slice(1);
    expect(stray).toHaveLength(19);
    expect(stray.every((i) => i.code === 'structure.uncoded_data' && i.cell!.endsWith('14'))).toBe(true);
    expect(stray[0]!.message).toBe(
      `Ô C14 có dữ liệu ("${bang2['2016']!['ngay_hoi.co_quan.nguoi']!.toLocaleString('de-DE')}") nhưng nằm ngoài các ô của biểu mẫu (cột, dòng chèn thêm hoặc dán lệch). Số liệu này không được tính; hãy chuyển vào đúng ô rồi xóa ở đây.`,
    );
    expect(evaluation.values.bang2!['2016']!['ngay_hoi.co_quan.nguoi']).toBeNull();
  });

  it('an indicator code edited: unknown code (offering the original), missing column, its data not counted', () => {
    const evaluation = afterChange((grid) => {
      const anchor = findMarker(grid, '#bang1');
      put(
        { sheet: anchor.sheet, row: anchor.row, col: codeColumn(grid, 'bang1', 'tuyen_truyen.dai_chung') },
        'tuyen_truyen.dai_chung2',
      );
    });
    const issues = brief(evaluation);
    expect(issues.slice(0, 2)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: null,
        code: 'structure.column_missing',
        severity: 'error',
        message:
          'Trang "Bảng 1": không tìm thấy cột "Tuyên truyền trên thông tin đại chúng" (mã ẩn tuyen_truyen.dai_chung đã bị xóa hoặc sửa). Số liệu của cột này chưa được tính; hãy khôi phục cột từ Tệp → Lịch sử phiên bản.',
      },
      {
        sheet: 'Bảng 1',
        cell: 'C12',
        code: 'structure.code_unknown',
        severity: 'error',
        message:
          'Ô C12: mã ẩn "tuyen_truyen.dai_chung2" không thuộc biểu mẫu (có thể đã bị sửa). Số liệu ở cột, dòng này không được tính; hãy khôi phục mã gốc "tuyen_truyen.dai_chung".',
      },
    ]);
    expect(issues.slice(2).map((i) => [i.cell, i.code])).toEqual(
      ['C13', 'C14', 'C15', 'C16', 'C17', 'C18'].map((c) => [c, 'structure.uncoded_data']),
    );
    expect(evaluation.values.bang1!['2017']!['tuyen_truyen.dai_chung']).toBeNull();
  });

  it('a period code edited offers the missing period', () => {
    const evaluation = afterChange((g) =>
      put({ sheet: sheetNamed(g, 'Bảng 1'), row: codeRow(g, 'bang1', '2019'), col: 0 }, '2019-bs'),
    );
    expect(brief(evaluation).filter((i) => i.code !== 'structure.uncoded_data')).toEqual([
      {
        sheet: 'Bảng 1',
        cell: null,
        code: 'structure.row_missing',
        severity: 'error',
        message:
          'Trang "Bảng 1": không tìm thấy dòng "Năm 2019" (mã ẩn 2019 đã bị xóa hoặc sửa). Số liệu của dòng này chưa được tính; hãy khôi phục dòng từ Tệp → Lịch sử phiên bản.',
      },
      {
        sheet: 'Bảng 1',
        cell: 'B17',
        code: 'structure.code_unknown',
        severity: 'error',
        message:
          'Ô B17: mã ẩn "2019-bs" không thuộc biểu mẫu (có thể đã bị sửa). Số liệu ở cột, dòng này không được tính; hãy khôi phục mã gốc "2019".',
      },
    ]);
  });

  it('a table anchor cleared is a missing tab', () => {
    const evaluation = afterChange((g) => put(findMarker(g, '#dien_hinh'), null));
    expect(evaluation.issues.map((i) => [i.sheet, i.code])).toEqual([['Điển hình', 'structure.sheet_missing']]);
  });

  it('a column code copied elsewhere in the code row is a duplicate', () => {
    const evaluation = afterChange((grid) => {
      const sheet = sheetNamed(grid, 'Bảng 1');
      const anchor = findMarker(grid, '#bang1');
      insertColumn(sheet, 4);
      put({ sheet, row: anchor.row, col: 4 }, 'tuyen_truyen.dai_chung');
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'E12',
        code: 'structure.code_duplicated',
        severity: 'error',
        message:
          'Mã ẩn "tuyen_truyen.dai_chung" có ở hai nơi (ô E12 và ô C12): cột hoặc dòng đã bị sao chép. Hãy xóa cột, dòng thừa.',
      },
    ]);
  });
});

describe('merged and shifted data', () => {
  it('merged data cells are an error naming the range; the covered cell reads blank', () => {
    const evaluation = afterChange((grid) => {
      const ref = figureCell(grid, 'bang1', '2016', 'tuyen_truyen.dai_chung');
      mergeCells(ref.sheet, { startRow: ref.row, endRow: ref.row + 1, startCol: ref.col, endCol: ref.col + 2 });
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'C14',
        code: 'structure.merged_cells',
        severity: 'error',
        message:
          'Các ô C14:D14 đang bị gộp. Ô nhập liệu không được gộp; hãy bỏ gộp (Định dạng → Gộp ô → Hủy gộp) rồi nhập vào từng ô.',
      },
      {
        sheet: 'Bảng 1',
        cell: 'D14',
        code: 'required.blank',
        severity: 'error',
        message:
          'Ô D14 (Công tác tuyên truyền – Kẻ vẽ pa nô, khẩu hiệu, Năm 2016) chưa có số liệu. Khi gửi báo cáo, mọi ô phải có số; nếu không phát sinh, hãy nhập 0.',
      },
    ]);
  });

  it('merged header cells are fine (the template has many)', () => {
    expect(sheetNamed(ready, 'Bảng 1').merges.length).toBeGreaterThan(20);
  });

  it('a table pasted one column to the right: the overflow is outside the form and the first column is blank', () => {
    const evaluation = afterChange((grid) => {
      const sheet = sheetNamed(grid, 'Bảng 1');
      const rows = ['2015', '2016', '2017', '2018', '2019', '2020-h1'].map((p) => codeRow(grid, 'bang1', p));
      shiftBlock(
        sheet,
        rows,
        codeColumn(grid, 'bang1', 'tuyen_truyen.dai_chung'),
        codeColumn(grid, 'bang1', 'ngan_sach.khen_thuong') + 1,
        1,
      );
    });
    const uncoded = evaluation.issues.filter((i) => i.code === 'structure.uncoded_data');
    expect(uncoded.map((i) => i.cell)).toEqual(['U13', 'U14', 'U15', 'U16', 'U17', 'U18']);
    expect(uncoded[1]!.message).toBe(
      `Ô U14 có dữ liệu ("${String(bang1['2016']!['ngan_sach.khen_thuong']).replace('.', ',')}") nhưng nằm ngoài các ô của biểu mẫu (cột, dòng chèn thêm hoặc dán lệch). Số liệu này không được tính; hãy chuyển vào đúng ô rồi xóa ở đây.`,
    );
    expect(evaluation.issues.filter((i) => i.code === 'required.blank').map((i) => i.cell)).toEqual([
      'C13',
      'C14',
      'C15',
      'C16',
      'C17',
      'C18',
    ]);
    expect(evaluation.status).toBe('invalid');
    // What the cells now hold is read where it stands: the pano column holds the media figures.
    expect(evaluation.values.bang1!['2016']!['tuyen_truyen.pano_khau_hieu']).toBe(
      bang1['2016']!['tuyen_truyen.dai_chung'],
    );
  });
});

describe('identity: the workbook of another unit or another round', () => {
  it("another unit's workbook", async () => {
    const other = await filledGrid(model, 'ubnd-hoan-kiem', ROUND);
    const evaluation = evaluateWorkbook(model, UNIT, ROUND, other);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Hướng dẫn',
        cell: null,
        code: 'structure.wrong_unit',
        severity: 'error',
        message: `Bảng tính này ghi là của "UBND quận Hoàn Kiếm", nhưng được cấp cho UBND quận Ba Đình. Số liệu chỉ được tính cho UBND quận Ba Đình; hãy dùng đúng bảng tính được cấp hoặc liên hệ ${COORDINATOR}.`,
      },
    ]);
    expect(evaluation.status).toBe('invalid');
  });

  it("another round's workbook", async () => {
    const other = await filledGrid(model, UNIT, 'bo-sung-2020');
    const evaluation = evaluateWorkbook(model, UNIT, ROUND, other);
    expect(evaluation.issues.find((i) => i.code === 'structure.wrong_round')).toEqual({
      sheet: 'Hướng dẫn',
      cell: null,
      row: null,
      col: null,
      code: 'structure.wrong_round',
      severity: 'error',
      message: `Bảng tính này ghi là của đợt "Báo cáo bổ sung", không phải đợt "Báo cáo sơ kết". Hãy dùng đúng biểu mẫu của đợt này hoặc liên hệ ${COORDINATOR}.`,
    });
    expect(evaluation.status).toBe('invalid');
  });

  it("another campaign's workbook names the campaign", () => {
    const evaluation = afterChange((grid) => {
      const id = findMarker(grid, '#identity');
      put({ ...id, col: id.col + 3 }, 'hanoi-521-2020-2025');
    });
    expect(evaluation.issues.map((i) => i.message)).toEqual([
      `Bảng tính này ghi là của đợt "Báo cáo sơ kết (hanoi-521-2020-2025)", không phải đợt "Báo cáo sơ kết". Hãy dùng đúng biểu mẫu của đợt này hoặc liên hệ ${COORDINATOR}.`,
    ]);
  });

  it('a file without the identity row', () => {
    const evaluation = afterChange((g) => put(findMarker(g, '#identity'), null));
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Hướng dẫn',
        cell: null,
        code: 'structure.identity_missing',
        severity: 'error',
        message:
          'Không tìm thấy thông tin nhận diện biểu mẫu (dòng ẩn ở trang "Hướng dẫn"). Có thể tệp không phải biểu mẫu do hệ thống cấp; hãy dùng đúng tệp mẫu.',
      },
    ]);
  });
});

describe('the 2020 plan: one period row per round', () => {
  it('the period row deleted is an error naming the period, and nothing of the table is counted', async () => {
    const grid = await filledGrid(planModel, UNIT, ROUND);
    const [period] = planModel.round(ROUND).periods as [string];
    deleteRow(sheetNamed(grid, 'Bảng 1'), codeRow(grid, 'bang1', period));
    const evaluation = evaluateWorkbook(planModel, UNIT, ROUND, grid);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Bảng 1',
        cell: null,
        code: 'structure.row_missing',
        severity: 'error',
        message:
          'Trang "Bảng 1": không tìm thấy dòng "Giai đoạn 2015 – 2020" (mã ẩn 2015-2020 đã bị xóa hoặc sửa). Số liệu của dòng này chưa được tính; hãy khôi phục dòng từ Tệp → Lịch sử phiên bản.',
      },
    ]);
    expect(evaluation.status).toBe('invalid');
    expect(Object.values(evaluation.values.bang1![period]!).every((v) => v === null)).toBe(true);
    expect(evaluation.values.bang2).toEqual(figuresFor(planModel, UNIT, ROUND, 'bang2'));
  });
});
