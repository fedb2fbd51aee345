/**
 * Numbers as Vietnamese clerks type them (DOMAIN.md, "Text typed into number cells"): every
 * accepted form gives its value, every rejected form gives its rule code and a Vietnamese
 * message that quotes what was typed and says what to type instead.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { evaluateWorkbook } from '../../functions/core/evaluate.js';
import type { WorkbookGrid } from '../../functions/core/grid.js';
import { parseNumberCell } from '../../functions/core/numbers.js';
import { model } from '../helpers/campaign.js';
import { filledGrid } from '../helpers/fill-workbook.js';
import { addressOf, figureCell, gridCell, put, type Typed } from '../helpers/grid-edit.js';
import { templateGrid } from '../helpers/template.js';

const UNIT = 'ubnd-ba-dinh';
const ROUND = 'so-ket-2020';
const INT = 'tuyen_truyen.dai_chung';
const DEC = 'ngan_sach.xdpt_chung';
/** The round's one period (the plan asks one figure per indicator for the whole window), on row 13. */
const [PERIOD] = model.round(ROUND).periods as [string];
const INT_LABEL = 'Công tác tuyên truyền – Tuyên truyền trên thông tin đại chúng, Giai đoạn 2015 – 2020';
const DEC_LABEL =
  'Đầu tư ngân sách (triệu đồng) – Phục vụ công tác xây dựng phong trào nói chung, Giai đoạn 2015 – 2020';

let blank: WorkbookGrid;
beforeAll(async () => {
  blank = await templateGrid(model, UNIT, ROUND);
});

/** Types one value into Bảng 1, the round's period, of a blank template and evaluates the workbook. */
function typeInto(code: string, value: Typed) {
  const grid = structuredClone(blank);
  const ref = figureCell(grid, 'bang1', PERIOD, code);
  put(ref, value);
  const evaluation = evaluateWorkbook(model, UNIT, ROUND, grid);
  const cell = addressOf(ref);
  return {
    cell,
    value: evaluation.values.bang1![PERIOD]![code],
    issues: evaluation.issues.map(({ sheet, cell, code, severity, message }) => ({
      sheet,
      cell,
      code,
      severity,
      message,
    })),
  };
}

describe('accepted forms', () => {
  it.each<[string, string, Typed, number]>([
    ['thousands group', INT, '1.234', 1234],
    ['several thousands groups', INT, '12.345.678', 12345678],
    ['thousands groups in a decimal column', DEC, '1.234', 1234],
    ['decimal comma', DEC, '1,5', 1.5],
    ['thousands groups and a decimal comma', DEC, '1.234,5', 1234.5],
    ['a single comma in a decimal column is a decimal comma', DEC, '1,234', 1.234],
    ['spaces between groups', INT, '1 234', 1234],
    ['a non-breaking space between groups', INT, '1\u00A0234', 1234],
    ['a narrow non-breaking space', INT, '12\u202F345', 12345],
    ['a zero-width space pasted from the web', INT, '1\u200B234', 1234],
    ['a byte order mark and a zero-width joiner', INT, '\uFEFF12\u200D3', 123],
    ['surrounding spaces', INT, '  42 ', 42],
    ['spaces and a decimal comma', DEC, '1 234,5', 1234.5],
    ['plain digits typed as text', INT, '1234', 1234],
    ['a plain number', INT, 1234, 1234],
    ['a plain decimal number in a decimal column', DEC, 12.75, 12.75],
    ['a whole number with a zero decimal in an integer column', INT, '7,0', 7],
    ['zero typed', INT, '0', 0],
    ['zero as a number', INT, 0, 0],
  ])('%s: %j → %d', (_what, code, typed, expected) => {
    const result = typeInto(code, typed);
    expect(result.issues).toEqual([]);
    expect(result.value).toBe(expected);
  });

  it('keeps blank ("not reported") apart from 0', () => {
    expect(typeInto(INT, null).value).toBeNull();
    expect(typeInto(INT, '   ').value).toBeNull();
    expect(typeInto(INT, '\u00A0').value).toBeNull();
    expect(typeInto(INT, 0).value).toBe(0);
    expect(parseNumberCell(null, 'integer')).toEqual({ ok: true, value: null });
    expect(parseNumberCell({ v: '' }, 'integer')).toEqual({ ok: true, value: null });
    expect(parseNumberCell({ v: 0 }, 'integer')).toEqual({ ok: true, value: 0 });
  });

  it('at submission a blank required cell is an error, a 0 is not', async () => {
    const withBlank = await filledGrid(model, UNIT, ROUND, (s) => (s.figures.bang1![PERIOD]![INT] = null));
    const evaluation = evaluateWorkbook(model, UNIT, ROUND, withBlank);
    expect(evaluation.status).toBe('invalid');
    expect(evaluation.issues).toEqual([
      expect.objectContaining({
        sheet: 'Bảng 1',
        cell: 'C13',
        code: 'required.blank',
        severity: 'error',
        message: `Ô C13 (${INT_LABEL}) chưa có số liệu. Khi gửi báo cáo, mọi ô phải có số; nếu không phát sinh, hãy nhập 0.`,
      }),
    ]);
    const withZero = await filledGrid(model, UNIT, ROUND, (s) => (s.figures.bang1![PERIOD]![INT] = 0));
    const ok = evaluateWorkbook(model, UNIT, ROUND, withZero);
    expect(ok.status).toBe('ready');
    expect(ok.issues).toEqual([]);
    expect(ok.values.bang1![PERIOD]![INT]).toBe(0);
  });
});

describe('rejected forms: rule code and message', () => {
  const cases: [string, string, Typed, string, string][] = [
    [
      'words after the number',
      INT,
      '12 buổi',
      'value.not_number',
      `Ô C13 (${INT_LABEL}): "12 buổi" không phải là số. Chỉ nhập chữ số, ví dụ 12; đơn vị tính đã ghi ở tiêu đề cột.`,
    ],
    [
      'an estimate in words',
      INT,
      'khoảng 20',
      'value.not_number',
      `Ô C13 (${INT_LABEL}): "khoảng 20" không phải là số. Chỉ nhập chữ số, ví dụ 20; đơn vị tính đã ghi ở tiêu đề cột.`,
    ],
    [
      'words only',
      DEC,
      'không có',
      'value.not_number',
      `Ô Q13 (${DEC_LABEL}): "không có" không phải là số. Chỉ nhập chữ số, ví dụ 15; đơn vị tính đã ghi ở tiêu đề cột.`,
    ],
    [
      'a comma in an integer column',
      INT,
      '1,234',
      'value.comma_in_integer',
      `Ô C13 (${INT_LABEL}): "1,234" không rõ là số nào: dấu phẩy là dấu thập phân, mà chỉ tiêu này là số nguyên. Nếu ý là 1.234, hãy nhập 1234 hoặc 1.234.`,
    ],
    [
      'foreign thousands separators',
      INT,
      '12,345,678',
      'value.comma_thousands',
      `Ô C13 (${INT_LABEL}): "12,345,678" viết theo kiểu nước ngoài: ở Việt Nam dấu phẩy là dấu thập phân, hàng nghìn dùng dấu chấm. Hãy nhập 12.345.678.`,
    ],
    [
      'foreign thousands separators in a decimal column',
      DEC,
      '1,234,567',
      'value.comma_thousands',
      `Ô Q13 (${DEC_LABEL}): "1,234,567" viết theo kiểu nước ngoài: ở Việt Nam dấu phẩy là dấu thập phân, hàng nghìn dùng dấu chấm. Hãy nhập 1.234.567.`,
    ],
    [
      'a decimal point',
      DEC,
      '1.5',
      'value.dot_decimal',
      `Ô Q13 (${DEC_LABEL}): "1.5" không rõ là số nào: dấu chấm dùng để phân cách hàng nghìn (1.234). Nếu là số thập phân, hãy dùng dấu phẩy, ví dụ 1,5.`,
    ],
    [
      'a decimal point with two digits',
      DEC,
      '12.25',
      'value.dot_decimal',
      `Ô Q13 (${DEC_LABEL}): "12.25" không rõ là số nào: dấu chấm dùng để phân cách hàng nghìn (1.234). Nếu là số thập phân, hãy dùng dấu phẩy, ví dụ 12,25.`,
    ],
    [
      'a negative number typed',
      INT,
      '-5',
      'value.negative',
      `Ô C13 (${INT_LABEL}): số âm (-5) không hợp lệ. Hãy nhập số từ 0 trở lên.`,
    ],
    [
      'a negative number with thousands',
      DEC,
      '-1.234,5',
      'value.negative',
      `Ô Q13 (${DEC_LABEL}): số âm (-1.234,5) không hợp lệ. Hãy nhập số từ 0 trở lên.`,
    ],
    [
      'a negative number stored as a number',
      INT,
      -3,
      'value.negative',
      `Ô C13 (${INT_LABEL}): số âm (-3) không hợp lệ. Hãy nhập số từ 0 trở lên.`,
    ],
    [
      'a decimal comma in an integer column',
      INT,
      '1,5',
      'value.fraction_in_integer',
      `Ô C13 (${INT_LABEL}): chỉ tiêu này đếm bằng số nguyên, không có phần thập phân ("1,5"). Hãy nhập số nguyên, ví dụ 2.`,
    ],
    [
      'a fraction stored as a number in an integer column',
      INT,
      12.4,
      'value.fraction_in_integer',
      `Ô C13 (${INT_LABEL}): chỉ tiêu này đếm bằng số nguyên, không có phần thập phân ("12,4"). Hãy nhập số nguyên, ví dụ 12.`,
    ],
    [
      '#REF!',
      INT,
      { error: '#REF!' },
      'value.error_value',
      `Ô C13 (${INT_LABEL}) đang báo lỗi #REF!. Hãy xóa công thức và nhập số trực tiếp.`,
    ],
    [
      '#VALUE!',
      DEC,
      { error: '#VALUE!' },
      'value.error_value',
      `Ô Q13 (${DEC_LABEL}) đang báo lỗi #VALUE!. Hãy xóa công thức và nhập số trực tiếp.`,
    ],
    [
      '#DIV/0!',
      INT,
      { error: '#DIV/0!' },
      'value.error_value',
      `Ô C13 (${INT_LABEL}) đang báo lỗi #DIV/0!. Hãy xóa công thức và nhập số trực tiếp.`,
    ],
    [
      'a date the spreadsheet made of "14/7"',
      INT,
      { date: '2020-07-14' },
      'value.date',
      `Ô C13 (${INT_LABEL}) đang chứa ngày tháng (14/07/2020), không phải số. Hãy nhập số; nếu bảng tính tự đổi thành ngày, hãy định dạng ô là Số (Định dạng → Số).`,
    ],
    [
      'TRUE',
      INT,
      true,
      'value.boolean',
      `Ô C13 (${INT_LABEL}) đang chứa giá trị đúng/sai (TRUE), không phải số. Hãy nhập số.`,
    ],
    [
      'FALSE',
      DEC,
      false,
      'value.boolean',
      `Ô Q13 (${DEC_LABEL}) đang chứa giá trị đúng/sai (FALSE), không phải số. Hãy nhập số.`,
    ],
    [
      'a plus sign',
      INT,
      '+5',
      'value.not_number',
      `Ô C13 (${INT_LABEL}): "+5" không phải là số. Chỉ nhập chữ số, ví dụ 5; đơn vị tính đã ghi ở tiêu đề cột.`,
    ],
    [
      'a formula typed as text',
      INT,
      '=1+1',
      'value.not_number',
      `Ô C13 (${INT_LABEL}): "=1+1" không phải là số. Chỉ nhập chữ số, ví dụ 1; đơn vị tính đã ghi ở tiêu đề cột.`,
    ],
  ];

  it.each(cases)('%s: %j', (_what, code, typed, rule, message) => {
    const result = typeInto(code, typed);
    expect(result.value).toBeNull();
    expect(result.issues).toEqual([{ sheet: 'Bảng 1', cell: result.cell, code: rule, severity: 'error', message }]);
  });

  it('a 50,000-character paste is refused and quoted short', () => {
    const result = typeInto(INT, 'x'.repeat(50_000));
    expect(result.value).toBeNull();
    expect(result.issues).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'C13',
        code: 'value.not_number',
        severity: 'error',
        message: `Ô C13 (${INT_LABEL}): "${'x'.repeat(40)}…" không phải là số. Chỉ nhập chữ số, ví dụ 15; đơn vị tính đã ghi ở tiêu đề cột.`,
      },
    ]);
  });

  it('50,000 digits are not a figure either (no Infinity)', () => {
    const result = typeInto(DEC, '9'.repeat(50_000));
    expect(result.value).toBeNull();
    expect(result.issues).toEqual([
      {
        sheet: 'Bảng 1',
        cell: 'Q13',
        code: 'value.not_number',
        severity: 'error',
        message: `Ô Q13 (${DEC_LABEL}): "${'9'.repeat(40)}…" không phải là số. Chỉ nhập chữ số, ví dụ 15; đơn vị tính đã ghi ở tiêu đề cột.`,
      },
    ]);
  });

  it('never guesses: the parser itself returns the code and what the message needs', () => {
    expect(parseNumberCell(gridCell('1,234'), 'integer')).toEqual({
      ok: false,
      code: 'value.comma_in_integer',
      params: { typed: '1,234', plain: '1234', suggestion: '1.234' },
    });
    expect(parseNumberCell(gridCell('12,345,678'), 'decimal')).toEqual({
      ok: false,
      code: 'value.comma_thousands',
      params: { typed: '12,345,678', suggestion: '12.345.678' },
    });
    expect(parseNumberCell(gridCell('1.5'), 'integer')).toEqual({
      ok: false,
      code: 'value.dot_decimal',
      params: { typed: '1.5', suggestion: '1,5' },
    });
    expect(parseNumberCell(gridCell('12 buổi'), 'integer')).toEqual({
      ok: false,
      code: 'value.not_number',
      params: { typed: '12 buổi', example: '12' },
    });
    expect(parseNumberCell(gridCell({ error: '#N/A' }), 'decimal')).toEqual({
      ok: false,
      code: 'value.error_value',
      params: { typed: '#N/A' },
    });
    // A live vi_VN sheet has already turned what was typed into a number: "1,234" typed is 1.234,
    // "1,5" typed shows as "2" in an integer cell. Messages quote the number, not the display.
    expect(parseNumberCell({ v: 1.234, text: '1' }, 'integer')).toEqual({
      ok: false,
      code: 'value.comma_in_integer',
      params: { typed: '1,234', plain: '1234', suggestion: '1.234' },
    });
    expect(parseNumberCell({ v: 1.5, text: '2' }, 'integer')).toEqual({
      ok: false,
      code: 'value.fraction_in_integer',
      params: { typed: '1,5', example: '2' },
    });
    expect(parseNumberCell({ v: 1.234, text: '1,23' }, 'decimal')).toEqual({ ok: true, value: 1.234 });
    expect(parseNumberCell(gridCell(1234.5), 'decimal')).toEqual({ ok: true, value: 1234.5 });
    expect(parseNumberCell(gridCell('1.234,5'), 'decimal')).toEqual({ ok: true, value: 1234.5 });
  });
});
