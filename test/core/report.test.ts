/**
 * The narrative report checklist (Đề cương báo cáo), the typical examples (≥ 3), the
 * confirmation block (names, phone, link to the signed PDF, the submit box) and the status line.
 */
import { describe, expect, it } from 'vitest';
import { evaluateWorkbook, type Evaluation } from '../../functions/core/evaluate.js';
import { normalisePhone } from '../../functions/core/report.js';
import { statusLine } from '../../functions/core/status-text.js';
import { model } from '../helpers/campaign.js';
import { filledGrid, type Submission } from '../helpers/fill-workbook.js';

const UNIT = 'ubnd-ba-dinh';
const ROUND = 'so-ket-2020';

async function evaluate(edit: (s: Submission) => void, submitted = true): Promise<Evaluation> {
  const grid = await filledGrid(model, UNIT, ROUND, (submission) => {
    edit(submission);
    if (!submitted) submission.confirmation.da_hoan_thanh = false;
  });
  return evaluateWorkbook(model, UNIT, ROUND, grid);
}
const brief = (ev: Evaluation) =>
  ev.issues.map(({ sheet, cell, code, severity, message }) => ({ sheet, cell, code, severity, message }));

describe('the outline checklist', () => {
  it('reads content and page references per item', async () => {
    const evaluation = await evaluate(
      (s) => (s.outline.bao_cao!['III.2.e'] = { content: 'Xem trang Điển hình', reference: 'tr. 12–14' }),
    );
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.outline['III.2.e']).toEqual({ content: 'Xem trang Điển hình', reference: 'tr. 12–14' });
    expect(evaluation.outline['I.1']).toEqual({
      content: 'Mục I.1: đã thực hiện, kết quả nêu tại báo cáo đính kèm.',
      reference: null,
    });
    expect(Object.keys(evaluation.outline)).toEqual([
      'I.1',
      'I.2',
      'II.1',
      'II.2',
      'II.3',
      'III.1.a',
      'III.1.b',
      'III.1.c',
      'III.1.d',
      'III.1.e',
      'III.1.g',
      'III.2.a',
      'III.2.b',
      'III.2.c',
      'III.2.d',
      'III.2.e',
      'IV.1',
      'IV.2',
      'IV.3',
      'IV.4',
      'V.1',
    ]);
  });

  it('an item with neither content nor a page reference is pending, then an error naming the item and both cells', async () => {
    const missing = (submission: Submission) => {
      submission.outline.bao_cao!['I.2'] = {};
      submission.outline.bao_cao!['IV.3'] = { content: '   ' };
    };
    const draft = await evaluate(missing, false);
    expect(draft.issues).toEqual([]);
    expect(draft.status).toBe('draft');
    expect(draft.pending.map((i) => [i.sheet, i.cell, i.code])).toEqual([
      ['Đề cương báo cáo', 'D12', 'bao_cao.item_missing'],
      ['Đề cương báo cáo', 'D32', 'bao_cao.item_missing'],
    ]);
    const evaluation = await evaluate(missing);
    expect(evaluation.status).toBe('invalid');
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Đề cương báo cáo',
        cell: 'D12',
        code: 'bao_cao.item_missing',
        severity: 'error',
        message: 'Mục I.2 chưa có nội dung: hãy ghi tóm tắt ở ô D12 hoặc số trang trong báo cáo đính kèm ở ô E12.',
      },
      {
        sheet: 'Đề cương báo cáo',
        cell: 'D32',
        code: 'bao_cao.item_missing',
        severity: 'error',
        message: 'Mục IV.3 chưa có nội dung: hãy ghi tóm tắt ở ô D32 hoặc số trang trong báo cáo đính kèm ở ô E32.',
      },
    ]);
  });

  it('a page reference alone, or a page number typed as a number, is enough', async () => {
    const evaluation = await evaluate((submission) => {
      submission.outline.bao_cao!['I.1'] = { reference: 'tr. 2' };
      submission.outline.bao_cao!['I.2'] = { reference: 3 };
    });
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.outline['I.2']).toEqual({ content: null, reference: '3' });
  });

  it('text that looks like a formula is kept but flagged; text over the limit is refused', async () => {
    const evaluation = await evaluate((submission) => {
      submission.outline.bao_cao!['I.1'] = { content: '=Tổng hợp từ các phường' };
      submission.outline.bao_cao!['II.1'] = { content: 'a'.repeat(5001), reference: 'tr. 4' };
    });
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Đề cương báo cáo',
        cell: 'D11',
        code: 'value.formula_like_text',
        severity: 'warning',
        message:
          'Ô D11 (mục I.1) bắt đầu bằng "=": hệ thống lưu nguyên văn dạng chữ, không tính như công thức. Nếu không cố ý, hãy bỏ ký tự này.',
      },
      {
        sheet: 'Đề cương báo cáo',
        cell: 'D14',
        code: 'value.text_too_long',
        severity: 'error',
        message:
          'Ô D14 (mục II.1) dài 5001 ký tự, quá 5000 ký tự cho phép. Hãy tóm tắt ngắn lại và ghi chi tiết trong báo cáo đính kèm.',
      },
    ]);
    expect(evaluation.outline['I.1']!.content).toBe('=Tổng hợp từ các phường');
    expect(evaluation.outline['II.1']).toEqual({ content: null, reference: 'tr. 4' });
  });
});

describe('typical examples (mục III.2.e)', () => {
  it('fewer than 3 is pending, then an error saying how many and where to add', async () => {
    const two = (s: Submission) => (s.lists.dien_hinh = s.lists.dien_hinh!.slice(0, 2));
    const draft = await evaluate(two, false);
    expect(draft.issues).toEqual([]);
    expect(draft.pending.map((i) => [i.cell, i.code])).toEqual([['C13', 'dien_hinh.too_few']]);
    const evaluation = await evaluate(two);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Điển hình',
        cell: 'C13',
        code: 'dien_hinh.too_few',
        severity: 'error',
        message: 'Cần ít nhất 3 điển hình tiên tiến (mục III.2.e của đề cương); hiện mới có 2. Hãy bổ sung từ ô C13.',
      },
    ]);
    expect(evaluation.examples.dien_hinh).toHaveLength(2);
  });

  it('an incomplete row does not count, and its missing field is named', async () => {
    const evaluation = await evaluate((s) => (s.lists.dien_hinh![1]!.thanh_tich = null));
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Điển hình',
        cell: 'E12',
        code: 'required.field',
        severity: 'error',
        message: 'Ô E12: dòng 2 còn thiếu "Thành tích, cách làm hay, sáng tạo". Hãy ghi đủ hoặc xóa cả dòng.',
      },
      {
        sheet: 'Điển hình',
        cell: 'C14',
        code: 'dien_hinh.too_few',
        severity: 'error',
        message: 'Cần ít nhất 3 điển hình tiên tiến (mục III.2.e của đề cương); hiện mới có 2. Hãy bổ sung từ ô C14.',
      },
    ]);
    expect(evaluation.examples.dien_hinh!.map((e) => e.complete)).toEqual([true, false, true]);
  });

  it('a type that is not in the drop-down is refused with the choices', async () => {
    const evaluation = await evaluate((s) => (s.lists.dien_hinh![0]!.loai = 'Hộ gia đình'));
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Điển hình',
        cell: 'D11',
        code: 'value.invalid_choice',
        severity: 'error',
        message:
          'Ô D11 (Tập thể / Cá nhân, dòng 1): "Hộ gia đình" không có trong danh sách. Hãy chọn trong danh sách thả xuống: Tập thể; Cá nhân.',
      },
      {
        sheet: 'Điển hình',
        cell: 'C14',
        code: 'dien_hinh.too_few',
        severity: 'error',
        message: 'Cần ít nhất 3 điển hình tiên tiến (mục III.2.e của đề cương); hiện mới có 2. Hãy bổ sung từ ô C14.',
      },
    ]);
  });

  it('three complete rows, typed in any case, are enough', async () => {
    const evaluation = await evaluate((s) => (s.lists.dien_hinh![2]!.loai = 'tập thể'));
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.examples.dien_hinh![2]!.values.loai).toBe('collective');
  });
});

describe('the confirmation block', () => {
  it('reads the fields and the ticked box', async () => {
    const evaluation = await evaluate(() => {});
    expect(evaluation.submitted).toBe(true);
    expect(evaluation.confirmation).toEqual({
      da_hoan_thanh: 'TRUE',
      nguoi_lap: 'Nguyễn Văn An',
      dien_thoai: '0912 345 678',
      thu_truong: 'Trần Văn Bình',
      link_bao_cao: 'https://drive.google.com/file/d/1AbCdEf/view',
    });
  });

  it('required fields left blank are pending, then errors naming the field', async () => {
    const blank = (s: Submission) =>
      Object.assign(s.confirmation, { nguoi_lap: null, thu_truong: '  ', link_bao_cao: null });
    const draft = await evaluate(blank, false);
    expect(draft.issues).toEqual([]);
    expect(draft.pending).toHaveLength(3);
    const evaluation = await evaluate(blank);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Xác nhận',
        cell: 'C8',
        code: 'xac_nhan.field_missing',
        severity: 'error',
        message: 'Ô C8: chưa ghi "Họ và tên người lập báo cáo". Khi gửi báo cáo cần có thông tin này.',
      },
      {
        sheet: 'Xác nhận',
        cell: 'C10',
        code: 'xac_nhan.field_missing',
        severity: 'error',
        message: 'Ô C10: chưa ghi "Họ và tên thủ trưởng đơn vị". Khi gửi báo cáo cần có thông tin này.',
      },
      {
        sheet: 'Xác nhận',
        cell: 'C11',
        code: 'xac_nhan.field_missing',
        severity: 'error',
        message: 'Ô C11: chưa ghi "Đường dẫn bản PDF báo cáo đã ký, đóng dấu". Khi gửi báo cáo cần có thông tin này.',
      },
    ]);
  });

  it.each(['0912 345', '12345678901234', 'số máy bàn', '0912.345.67', '+1 202 555 0100'])(
    'a bad phone number %j is an error, even before submission',
    async (phone) => {
      const evaluation = await evaluate((s) => (s.confirmation.dien_thoai = phone), false);
      expect(brief(evaluation)).toEqual([
        {
          sheet: 'Xác nhận',
          cell: 'C9',
          code: 'xac_nhan.phone_invalid',
          severity: 'error',
          message: `Ô C9: số điện thoại "${phone}" không hợp lệ. Hãy nhập số di động 10 chữ số hoặc số cố định 11 chữ số (có mã vùng), ví dụ 0912 345 678 hoặc 024 3942 1234.`,
        },
      ]);
      expect(evaluation.status).toBe('invalid');
    },
  );

  it.each([
    ['0912 345 678', '0912345678'],
    ['024 3942 1234', '02439421234'],
    ['+84 912 345 678', '0912345678'],
    ['0912.345.678', '0912345678'],
    ['(024) 3942-1234', '02439421234'],
    ['84912345678', '0912345678'],
    ['0912\u00A0345\u00A0678', '0912345678'],
  ])('a valid phone number %j (%s)', async (phone, normalised) => {
    expect(normalisePhone(phone)).toBe(normalised);
    const evaluation = await evaluate((s) => (s.confirmation.dien_thoai = phone));
    expect(evaluation.issues).toEqual([]);
    expect(evaluation.status).toBe('ready');
  });

  it.each([
    'drive.google.com/file/d/1AbC/view',
    'https://',
    'xem bản giấy gửi kèm',
    'ftp://files.hanoi.example/bao-cao.pdf',
    'https://drive google.com/x',
  ])('a bad link %j is an error', async (link) => {
    const evaluation = await evaluate((s) => (s.confirmation.link_bao_cao = link));
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Xác nhận',
        cell: 'C11',
        code: 'xac_nhan.link_invalid',
        severity: 'error',
        message: `Ô C11: "${link}" không phải đường dẫn. Hãy dán đường dẫn (bắt đầu bằng https://) tới tệp PDF báo cáo đã ký, đóng dấu.`,
      },
    ]);
  });

  it('the submit box: TRUE typed as text counts, anything else is not a checkbox', async () => {
    const typedTrue = await evaluate((s) => (s.confirmation.da_hoan_thanh = 'TRUE'));
    expect(typedTrue.submitted).toBe(true);
    expect(typedTrue.status).toBe('ready');
    const evaluation = await evaluate((s) => (s.confirmation.da_hoan_thanh = 'có'));
    expect(evaluation.submitted).toBe(false);
    expect(brief(evaluation)).toEqual([
      {
        sheet: 'Xác nhận',
        cell: 'C7',
        code: 'value.invalid_checkbox',
        severity: 'error',
        message: 'Ô C7 (Đã hoàn thành, gửi báo cáo): "có" không phải ô đánh dấu. Hãy tích hoặc bỏ tích ô này.',
      },
    ]);
  });
});

describe('the status line at the top of every tab', () => {
  const at = Date.parse('2020-07-14T02:12:00Z'); // 09:12 ICT
  it.each([
    [
      { status: 'invalid', submitted: false, errors: 3, warnings: 2, pendingCount: 0 },
      null,
      'Còn 3 lỗi, 2 cảnh báo — ô tô đỏ là lỗi, ô tô vàng cần xem lại.',
      'error',
    ],
    [
      { status: 'invalid', submitted: true, errors: 1, warnings: 0, pendingCount: 0 },
      null,
      'Còn 1 lỗi — chưa gửi được: hãy sửa các ô tô đỏ (di chuột vào ô để xem hướng dẫn).',
      'error',
    ],
    [
      { status: 'ready', submitted: true, errors: 0, warnings: 0, pendingCount: 0 },
      null,
      'Hợp lệ: sẵn sàng gửi.',
      'ok',
    ],
    [
      { status: 'ready', submitted: true, errors: 0, warnings: 0, pendingCount: 0 },
      { acceptedAt: at, late: false, lockedOut: false },
      'Đã gửi lúc 09:12 14/07/2020.',
      'ok',
    ],
    [
      { status: 'ready', submitted: true, errors: 0, warnings: 1, pendingCount: 0 },
      { acceptedAt: Date.parse('2020-07-15T01:00:00Z'), late: true, lockedOut: false },
      'Đã gửi lúc 08:00 15/07/2020 (nộp muộn), 1 cảnh báo.',
      'warning',
    ],
    [
      { status: 'empty', submitted: false, errors: 0, warnings: 0, pendingCount: 0 },
      null,
      'Chưa nhập số liệu.',
      'neutral',
    ],
    [
      { status: 'draft', submitted: false, errors: 0, warnings: 0, pendingCount: 4 },
      null,
      'Hợp lệ — chưa gửi. Còn 4 mục bắt buộc chưa điền. Khi xong, tích ô "Đã hoàn thành, gửi báo cáo" ở trang Xác nhận.',
      'neutral',
    ],
  ] as const)('%j → %s', (event, acceptance, text, tone) => {
    expect(statusLine(model, ROUND, event, acceptance)).toEqual({ text, tone });
  });

  it('after the lock time, says the change was not taken in', () => {
    const event = { status: 'ready', submitted: true, errors: 0, warnings: 0, pendingCount: 0 } as const;
    expect(statusLine(model, ROUND, event, { acceptedAt: at, late: false, lockedOut: true }).text).toBe(
      'Đợt báo cáo đã khóa sổ lúc 00:00 22/07/2020: thay đổi sau thời điểm này không được tiếp nhận. Bản đã gửi lúc 09:12 14/07/2020 vẫn có hiệu lực.',
    );
    expect(statusLine(model, ROUND, event, { acceptedAt: null, late: false, lockedOut: true }).text).toBe(
      'Đợt báo cáo đã khóa sổ lúc 00:00 22/07/2020: thay đổi sau thời điểm này không được tiếp nhận. Đơn vị chưa gửi báo cáo trước khi khóa sổ; hãy liên hệ Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố).',
    );
  });
});
