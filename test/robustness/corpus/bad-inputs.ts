/**
 * The bad-input corpus, as data: what people type and do to a unit's live
 * sheet that the system must survive. Each case says, in Vietnamese, what happened; how to do
 * it to the sheet (operations.ts); and what the unit must be told: the rule code, the tab and
 * cell, and a message (a pattern in which `{cell}` stands for the cell's address) that names
 * the cell or the tab and says what to do. The runner (../corpus.test.ts) checks, for every
 * case, that the handler answers, that these issues are written back, and that the unit's
 * last accepted submission and every other unit's data are unchanged.
 *
 * Slots: 'so-ket' cases get a district or sector of the main round, 'police' cases a district
 * police unit (nominations only), 'bo-sung' cases a district of the supplementary round;
 * each case has a unit of its own, with a valid submission accepted before the case starts.
 */
import type { Op, Ref, Value } from './operations.js';
import { MAIN_PERIOD } from '../../helpers/campaign.js';

export interface ExpectedIssue {
  code: string;
  severity: 'error' | 'warning';
  tab: string;
  /** Where, by meaning (resolved in the sheet before the case), as an address, or null for a whole tab. */
  cell: Ref | string | null;
  /** `{cell}` is replaced by the resolved address. */
  message: RegExp;
}

export interface BadInputCase {
  id: string;
  kind: 'value' | 'structure';
  /** What the clerk (or someone) did, in Vietnamese. */
  description: string;
  slot: 'so-ket' | 'bo-sung' | 'police';
  /** How the change reaches the system: the sheet's button (sheetAction) or Drive's push and the poll. */
  deliver: 'button' | 'push';
  apply: Op[];
  expect: ExpectedIssue[];
  /** Other rule codes that may also be reported (e.g. every stray cell of a shifted table). */
  alsoAllowed?: string[];
  /**
   * 'nominee': the problem is on one nominee's row. A nominee is judged apart from the report
   * (DOMAIN.md "Submission"): the report stays ready and the edit is a new accepted version,
   * the nominee gets its verdict. Default 'report': the edit is refused, the last version stands.
   */
  judged?: 'report' | 'nominee';
}

// ---------------------------------------------------------------------------------------------
// Shorthands

const BANG1 = (code: string, period = MAIN_PERIOD): Ref => ({ figure: ['bang1', period, code] });
const BANG2 = (code: string, period = MAIN_PERIOD): Ref => ({ figure: ['bang2', period, code] });
const KHEN_THUONG = (index: number, field: string): Ref => ({ list: ['khen_thuong', index, field] });
const DIEN_HINH = (index: number, field: string): Ref => ({ list: ['dien_hinh', index, field] });
const type = (at: Ref, value: Value, extra: Partial<Extract<Op, { op: 'type' }>> = {}): Op => ({
  op: 'type',
  at,
  value,
  ...extra,
});
const owner = (at: Ref, value: Value): Op => ({ op: 'type', at, value, as: 'owner', input: 'RAW' });

/** A figure typed by the clerk, refused with `code` at that cell. */
function figure(
  id: string,
  description: string,
  at: Ref,
  value: Value,
  code: string,
  message: RegExp,
  extra: Partial<BadInputCase> & { input?: 'RAW' } = {},
): BadInputCase {
  const { input, ...rest } = extra;
  const tab = 'figure' in at && at.figure[0] === 'bang2' ? 'Bảng 2' : 'Bảng 1';
  return {
    id,
    kind: 'value',
    description,
    slot: 'so-ket',
    deliver: 'button',
    apply: [type(at, value, input ? { input } : {})],
    expect: [{ code, severity: 'error', tab, cell: at, message }],
    ...rest,
  };
}

/** A typed extra zero is also far from the unit's other years: a warning beside the error. */
const OUTLIER = 'so_lieu.bat_thuong_so_voi_ky_khac';
const DAI_CHUNG = 'Công tác tuyên truyền – Tuyên truyền trên thông tin đại chúng, Giai đoạn 2015 – 2020';
const COORDINATOR = 'Phòng Xây dựng phong trào bảo vệ ANTQ \\(Công an thành phố\\)';
/** 50,000 characters (the most a Google Sheets cell holds), no blank at either end. */
const LONG_TEXT = `${'Tổ dân phố số 7 duy trì mô hình camera an ninh. '.repeat(1_100).slice(0, 49_999)}.`;

// ---------------------------------------------------------------------------------------------
// Values

const values: BadInputCase[] = [
  figure(
    'words-after-number',
    'Gõ kèm đơn vị tính sau số: "12 buổi"',
    BANG1('tuyen_truyen.dai_chung'),
    '12 buổi',
    'value.not_number',
    new RegExp(
      `^Ô {cell} \\(${DAI_CHUNG}\\): "12 buổi" không phải là số\\. Chỉ nhập chữ số, ví dụ 12; đơn vị tính đã ghi ở tiêu đề cột\\.$`,
    ),
  ),
  figure(
    'estimate-in-words',
    'Ghi ước lượng bằng chữ: "khoảng 20"',
    BANG1('tuyen_truyen.tap_trung_buoi'),
    'khoảng 20',
    'value.not_number',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\): "khoảng 20" không phải là số\. Chỉ nhập chữ số, ví dụ 20;/,
    { deliver: 'push' },
  ),
  figure(
    'currency-words',
    'Ghi kèm "triệu" trong cột tiền: "850,5 triệu"',
    BANG1('ngan_sach.xdpt_chung'),
    '850,5 triệu',
    'value.not_number',
    /^Ô {cell} \(Đầu tư ngân sách \(triệu đồng\) – .+, Giai đoạn 2015 – 2020\): "850,5 triệu" không phải là số\. Chỉ nhập chữ số, ví dụ 850,5;/,
  ),
  figure(
    'comma-in-integer',
    'Dấu phẩy trong cột số nguyên: "1,234" (bảng tính hiểu là 1,234)',
    BANG1('tuyen_truyen.tai_lieu_dau_loai'),
    '1,234',
    'value.comma_in_integer',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\): "1,234" không rõ là số nào: dấu phẩy là dấu thập phân, mà chỉ tiêu này là số nguyên\. Nếu ý là 1\.234, hãy nhập 1234 hoặc 1\.234\.$/,
  ),
  figure(
    'foreign-thousands',
    'Phân cách hàng nghìn kiểu nước ngoài: "12,345,678"',
    BANG1('tuyen_truyen.tai_lieu_ban'),
    '12,345,678',
    'value.comma_thousands',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\): "12,345,678" viết theo kiểu nước ngoài: .+ Hãy nhập 12\.345\.678\.$/,
  ),
  figure(
    'dot-decimal',
    'Dấu chấm thập phân trong cột tiền: "1.5"',
    BANG1('ngan_sach.cong_an_xa'),
    '1.5',
    'value.dot_decimal',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\): "1\.5" không rõ là số nào: dấu chấm dùng để phân cách hàng nghìn \(1\.234\)\. Nếu là số thập phân, hãy dùng dấu phẩy, ví dụ 1,5\.$/,
    { deliver: 'push' },
  ),
  figure(
    'negative-integer',
    'Số âm: "-5"',
    BANG1('tdkt.giay_khen'),
    '-5',
    'value.negative',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\): số âm \(-5\) không hợp lệ\. Hãy nhập số từ 0 trở lên\.$/,
  ),
  figure(
    'negative-decimal',
    'Số âm có phần thập phân: "-1.234,5"',
    BANG1('ngan_sach.bvdp'),
    '-1.234,5',
    'value.negative',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\): số âm \(-1\.234,5\) không hợp lệ\./,
  ),
  figure(
    'fraction-in-integer',
    'Phần thập phân trong cột số nguyên: "1,5" (ô hiển thị làm tròn thành 2)',
    BANG1('luc_luong.doi_xdpt'),
    '1,5',
    'value.fraction_in_integer',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\): chỉ tiêu này đếm bằng số nguyên, không có phần thập phân \("1,5"\)\. Hãy nhập số nguyên, ví dụ 2\.$/,
  ),
  figure(
    'percent-in-integer',
    'Gõ phần trăm vào cột số nguyên: "50%"',
    BANG1('tdkt.bang_khen_tp'),
    '50%',
    'value.fraction_in_integer',
    /^Ô {cell} \(.+\): chỉ tiêu này đếm bằng số nguyên, không có phần thập phân \("0,5"\)\. Hãy nhập số nguyên/,
  ),
  figure(
    'nbsp-grouped-fraction',
    'Số dán từ Word, cách nhóm bằng dấu cách không ngắt, có phần thập phân: "1 234,5"',
    BANG1('mo_hinh.xay_dung_moi'),
    '1\u00A0234,5',
    'value.fraction_in_integer',
    /^Ô {cell} \(.+\): chỉ tiêu này đếm bằng số nguyên, không có phần thập phân \("1 234,5"\)\. Hãy nhập số nguyên, ví dụ 1\.235\.$/,
  ),
  figure(
    'error-div0',
    'Công thức chia cho 0: =1/0',
    BANG2('tin_bao.tong_so'),
    '=1/0',
    'value.error_value',
    /^Ô {cell} \(Tin về ANTT do nhân dân cung cấp – Tổng số tin, Giai đoạn 2015 – 2020\) đang báo lỗi #DIV\/0!\. Hãy xóa công thức và nhập số trực tiếp\.$/,
  ),
  figure(
    'error-name',
    'Công thức gọi hàm không có: =KHONGCO(1)',
    BANG2('dia_ban.phuc_tap'),
    '=KHONGCO(1)',
    'value.error_value',
    /^Ô {cell} \(.+\) đang báo lỗi #NAME\?\. Hãy xóa công thức và nhập số trực tiếp\.$/,
  ),
  figure(
    'error-ref',
    "Công thức trỏ tới trang đã xóa: ='Bảng tạm'!B2",
    BANG2('dia_ban.khieu_kien'),
    "='Bảng tạm'!B2",
    'value.error_value',
    /^Ô {cell} \(.+\) đang báo lỗi #REF!\. Hãy xóa công thức/,
    { deliver: 'push' },
  ),
  figure(
    'error-value',
    'Công thức nhân chữ với số: ="mười"*2',
    BANG2('giao_duc.tong_so'),
    '="mười"*2',
    'value.error_value',
    /^Ô {cell} \(.+\) đang báo lỗi #VALUE!\. Hãy xóa công thức/,
  ),
  figure(
    'error-parse',
    'Công thức gõ dở: =SUM(C13:',
    BANG1('mo_hinh.hien_co'),
    '=SUM(C13:',
    'value.error_value',
    /^Ô {cell} \(.+\) đang báo lỗi #ERROR!\. Hãy xóa công thức/,
  ),
  {
    id: 'date-pasted',
    kind: 'value',
    description: 'Dán một ô ngày tháng (14/07/2020) từ bảng khác vào ô số liệu',
    slot: 'so-ket',
    deliver: 'button',
    apply: [{ op: 'pasteDate', at: BANG1('luc_luong.bvdp'), date: '2020-07-14' }],
    expect: [
      {
        code: 'value.date',
        severity: 'error',
        tab: 'Bảng 1',
        cell: BANG1('luc_luong.bvdp'),
        message:
          /^Ô {cell} \(.+\) đang chứa ngày tháng \(14\/07\/2020\), không phải số\. Hãy nhập số; nếu bảng tính tự đổi thành ngày, hãy định dạng ô là Số/,
      },
    ],
  },
  figure(
    'boolean-true',
    'Gõ TRUE vào ô số liệu',
    BANG1('luc_luong.cong_an_xa'),
    'TRUE',
    'value.boolean',
    /^Ô {cell} \(.+\) đang chứa giá trị đúng\/sai \(TRUE\), không phải số\. Hãy nhập số\.$/,
  ),
  figure(
    'boolean-false',
    'Gõ FALSE vào cột tiền (đợt bổ sung)',
    BANG1('ngan_sach.khen_thuong', '2020-bs'),
    'FALSE',
    'value.boolean',
    /^Ô {cell} \(.+, Từ 10\/6 đến 31\/8\/2020\) đang chứa giá trị đúng\/sai \(FALSE\), không phải số\./,
    { deliver: 'push', slot: 'bo-sung' },
  ),
  figure(
    'long-text-in-number',
    'Dán nhầm 50.000 ký tự văn bản vào ô số liệu',
    BANG1('luc_luong.bao_ve_cqdn'),
    LONG_TEXT,
    'value.not_number',
    /^Ô {cell} \(.+\): "Tổ dân phố số 7 duy trì mô hình camera a…" không phải là số\. Chỉ nhập chữ số, ví dụ 7;/,
  ),
  figure(
    'long-digits',
    'Dán 50.000 chữ số vào một ô (không được thành vô cực)',
    BANG1('ngan_sach.xdpt_chung', '2020-bs'),
    '9'.repeat(50_000),
    'value.not_number',
    /^Ô {cell} \(.+, Từ 10\/6 đến 31\/8\/2020\): "9{40}…" không phải là số\. Chỉ nhập chữ số, ví dụ 15;/,
    { slot: 'bo-sung' },
  ),
  figure(
    'zero-width-only',
    'Ô chỉ còn ký tự vô hình (zero-width space) dán từ trang web',
    BANG1('tuyen_truyen.pano_khau_hieu'),
    '\u200B',
    'required.blank',
    /^Ô {cell} \(.+, Giai đoạn 2015 – 2020\) chưa có số liệu\. Khi gửi báo cáo, mọi ô phải có số; nếu không phát sinh, hãy nhập 0\.$/,
  ),
  figure(
    'nbsp-only',
    'Ô chỉ còn dấu cách không ngắt (non-breaking space)',
    BANG2('tin_bao.bat_giu', '2020-bs'),
    '\u00A0\u00A0',
    'required.blank',
    /^Ô {cell} \(.+\) chưa có số liệu\. .+ hãy nhập 0\.$/,
    { slot: 'bo-sung' },
  ),
  figure(
    'cleared',
    'Xóa trắng một ô bắt buộc',
    BANG1('luc_luong.cong_an_xa', '2020-bs'),
    null,
    'required.blank',
    /^Ô {cell} \(.+, Từ 10\/6 đến 31\/8\/2020\) chưa có số liệu\./,
    { slot: 'bo-sung', deliver: 'push' },
  ),
  figure(
    'text-equals',
    'Chữ bắt đầu bằng "=" (gõ \'=1+1 để giữ nguyên)',
    BANG1('tuyen_truyen.dai_chung'),
    "'=1+1",
    'value.not_number',
    /^Ô {cell} \(.+\): "=1\+1" không phải là số\. Chỉ nhập chữ số/,
  ),
  figure(
    'text-plus',
    'Chữ bắt đầu bằng "+" ("+5 so với năm trước")',
    BANG1('tuyen_truyen.dai_chung'),
    '+5 so với năm trước',
    'value.not_number',
    /^Ô {cell} \(.+\): "\+5 so với năm trước" không phải là số\./,
  ),
  figure(
    'text-minus',
    'Chữ bắt đầu bằng "-" ("-khoảng 5")',
    BANG1('tuyen_truyen.pano_khau_hieu'),
    '-khoảng 5',
    'value.not_number',
    /^Ô {cell} \(.+\): "-khoảng 5" không phải là số\./,
  ),
  figure(
    'text-at',
    'Chữ bắt đầu bằng "@" (dán RAW từ tin nhắn: "@Lan 15")',
    BANG1('tuyen_truyen.tai_lieu_ban'),
    '@Lan 15',
    'value.not_number',
    /^Ô {cell} \(.+\): "@Lan 15" không phải là số\. Chỉ nhập chữ số, ví dụ 15;/,
    { input: 'RAW' },
  ),
  figure(
    'tips-valuable-over-total',
    'Tin có giá trị nhiều hơn tổng số tin',
    BANG2('tin_bao.co_gia_tri'),
    100_000,
    'tin_bao.co_gia_tri_vuot_tong_so',
    /^Ô {cell} \(Giai đoạn 2015 – 2020\): Tin có giá trị \(100\.000\) nhiều hơn Tổng số tin \([\d.]+, ô [A-Z]+\d+\)\. .+ hãy kiểm tra lại\.$/,
    { alsoAllowed: [OUTLIER] },
  ),
  figure(
    'reformed-over-total',
    'Số không tái phạm nhiều hơn tổng số người được giáo dục',
    BANG2('giao_duc.khong_tai_pham'),
    99_999,
    'giao_duc.khong_tai_pham_vuot_tong_so',
    /^Ô {cell} \(Giai đoạn 2015 – 2020\): Số không tái phạm \(99\.999\) nhiều hơn Tổng số người lầm lỗi được giáo dục \([\d.]+, ô [A-Z]+\d+\); hãy kiểm tra lại\.$/,
    { alsoAllowed: [OUTLIER] },
  ),
  {
    id: 'people-without-events',
    kind: 'value',
    description: 'Ngày hội cấp xã: 0 lượt nhưng vẫn có người tham gia',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type(BANG2('ngay_hoi.xa_phuong.luot'), 0)],
    expect: [
      {
        code: 'ngay_hoi.xa_phuong.nguoi_khi_khong_luot',
        severity: 'error',
        tab: 'Bảng 2',
        cell: BANG2('ngay_hoi.xa_phuong.nguoi'),
        message:
          /^Ô {cell} \(Giai đoạn 2015 – 2020\): có [\d.]+ người tham gia nhưng số lượt Ngày hội ở xã, phường, thị trấn là 0 \(ô [A-Z]+\d+\)\. Hãy nhập số lượt hoặc sửa số người\.$/,
      },
    ],
  },
  {
    id: 'attendees-without-sessions',
    kind: 'value',
    description: 'Tuyên truyền tập trung: 0 buổi nhưng có người dự',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type(BANG1('tuyen_truyen.tap_trung_buoi'), 0)],
    expect: [
      {
        code: 'tuyen_truyen.nguoi_du_khi_khong_co_buoi',
        severity: 'error',
        tab: 'Bảng 1',
        cell: BANG1('tuyen_truyen.tap_trung_nguoi'),
        message:
          /^Ô {cell} \(Giai đoạn 2015 – 2020\): có [\d.]+ lượt người dự nhưng số buổi tuyên truyền tập trung là 0 \(ô [A-Z]+\d+\)\. Hãy nhập số buổi/,
      },
    ],
  },
  {
    id: 'example-too-long',
    kind: 'value',
    description: 'Dán 50.000 ký tự vào ô thành tích của một điển hình',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type(DIEN_HINH(1, 'thanh_tich'), LONG_TEXT)],
    expect: [
      {
        code: 'value.text_too_long',
        severity: 'error',
        tab: 'Điển hình',
        cell: DIEN_HINH(1, 'thanh_tich'),
        message:
          /^Ô {cell} \(.+\) dài 50000 ký tự, quá 2000 ký tự cho phép\. Hãy tóm tắt ngắn lại và ghi chi tiết trong báo cáo đính kèm\.$/,
      },
    ],
    // The refused text leaves the row without its achievement, so only two examples count.
    alsoAllowed: ['dien_hinh.too_few'],
  },
  {
    id: 'outline-too-long',
    kind: 'value',
    description: 'Dán cả báo cáo (50.000 ký tự) vào một mục của đề cương',
    slot: 'so-ket',
    deliver: 'push',
    apply: [type({ checklist: ['bao_cao', 'I.1', 'noi_dung'] }, LONG_TEXT)],
    expect: [
      {
        code: 'value.text_too_long',
        severity: 'error',
        tab: 'Đề cương báo cáo',
        cell: { checklist: ['bao_cao', 'I.1', 'noi_dung'] },
        message: /^Ô {cell} \(.+\) dài 50000 ký tự, quá \d+ ký tự cho phép\. Hãy tóm tắt ngắn lại/,
      },
    ],
    // The refused text leaves the item without content.
    alsoAllowed: ['bao_cao.item_missing'],
  },
  {
    id: 'outline-item-cleared',
    kind: 'value',
    description: 'Xóa nội dung một mục của đề cương mà không ghi số trang',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type({ checklist: ['bao_cao', 'I.1', 'noi_dung'] }, null)],
    expect: [
      {
        code: 'bao_cao.item_missing',
        severity: 'error',
        tab: 'Đề cương báo cáo',
        cell: { checklist: ['bao_cao', 'I.1', 'noi_dung'] },
        message:
          /^Mục I\.1 chưa có nội dung: hãy ghi tóm tắt ở ô {cell} hoặc số trang trong báo cáo đính kèm ở ô [A-Z]+\d+\.$/,
      },
    ],
  },
  {
    id: 'too-few-examples',
    kind: 'value',
    description: 'Xóa điển hình thứ ba: còn 2, cần ít nhất 3',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type(DIEN_HINH(2, 'ten'), null), type(DIEN_HINH(2, 'loai'), null), type(DIEN_HINH(2, 'thanh_tich'), null)],
    expect: [
      {
        code: 'dien_hinh.too_few',
        severity: 'error',
        tab: 'Điển hình',
        cell: DIEN_HINH(2, 'ten'),
        message:
          /^Cần ít nhất 3 điển hình tiên tiến \(mục III\.2\.e của đề cương\); hiện mới có 2\. Hãy bổ sung từ ô {cell}\.$/,
      },
    ],
  },
  {
    id: 'phone-invalid',
    kind: 'value',
    description: 'Số điện thoại người lập thiếu chữ số',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type({ confirm: 'dien_thoai' }, '09123')],
    expect: [
      {
        code: 'xac_nhan.phone_invalid',
        severity: 'error',
        tab: 'Xác nhận',
        cell: { confirm: 'dien_thoai' },
        message: /^Ô {cell}: số điện thoại "09123" không hợp lệ\. Hãy nhập số di động 10 chữ số/,
      },
    ],
  },
  {
    id: 'link-invalid',
    kind: 'value',
    description: 'Ô đường dẫn báo cáo ghi chữ thay cho đường dẫn',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type({ confirm: 'link_bao_cao' }, 'đã gửi bản giấy')],
    expect: [
      {
        code: 'xac_nhan.link_invalid',
        severity: 'error',
        tab: 'Xác nhận',
        cell: { confirm: 'link_bao_cao' },
        message: /^Ô {cell}: "đã gửi bản giấy" không phải đường dẫn\. Hãy dán đường dẫn \(bắt đầu bằng https:\/\/\)/,
      },
    ],
  },
  {
    id: 'preparer-cleared',
    kind: 'value',
    description: 'Xóa tên người lập báo cáo',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type({ confirm: 'nguoi_lap' }, null)],
    expect: [
      {
        code: 'xac_nhan.field_missing',
        severity: 'error',
        tab: 'Xác nhận',
        cell: { confirm: 'nguoi_lap' },
        message: /^Ô {cell}: chưa ghi "Họ và tên người lập báo cáo"\. Khi gửi báo cáo cần có thông tin này\.$/,
      },
    ],
  },
  {
    id: 'checkbox-typed-text',
    kind: 'value',
    description: 'Gõ chữ "có" đè lên ô đánh dấu "Đã hoàn thành, gửi báo cáo"',
    slot: 'so-ket',
    deliver: 'button',
    apply: [type({ confirm: 'da_hoan_thanh' }, 'có')],
    expect: [
      {
        code: 'value.invalid_checkbox',
        severity: 'error',
        tab: 'Xác nhận',
        cell: { confirm: 'da_hoan_thanh' },
        message: /^Ô {cell} \(.+\): "có" không phải ô đánh dấu\. Hãy tích hoặc bỏ tích ô này\.$/,
      },
    ],
  },
  {
    id: 'nominee-count-in-words',
    kind: 'value',
    judged: 'nominee',
    description: 'Số lần được tặng Giấy khen ghi bằng chữ: "hai"',
    slot: 'police',
    deliver: 'button',
    apply: [type(KHEN_THUONG(0, 'so_giay_khen'), 'hai')],
    expect: [
      {
        code: 'value.not_number',
        severity: 'error',
        tab: 'Khen thưởng',
        cell: KHEN_THUONG(0, 'so_giay_khen'),
        message: /^Ô {cell} \(.+\): "hai" không phải là số\. Chỉ nhập chữ số/,
      },
    ],
  },
  {
    id: 'nominee-sets-fraction',
    kind: 'value',
    judged: 'nominee',
    description: 'Số bộ hồ sơ bản chính có phần thập phân: "1,5"',
    slot: 'police',
    deliver: 'push',
    apply: [type(KHEN_THUONG(2, 'so_bo_ban_chinh'), '1,5')],
    expect: [
      {
        code: 'value.fraction_in_integer',
        severity: 'error',
        tab: 'Khen thưởng',
        cell: KHEN_THUONG(2, 'so_bo_ban_chinh'),
        message: /^Ô {cell} \(.+\): chỉ tiêu này đếm bằng số nguyên, không có phần thập phân \("1,5"\)\./,
      },
    ],
  },
  {
    id: 'award-not-in-list',
    kind: 'value',
    judged: 'nominee',
    description: 'Gõ một hình thức khen thưởng không có trong danh sách thả xuống',
    slot: 'police',
    deliver: 'button',
    apply: [type(KHEN_THUONG(1, 'hinh_thuc'), 'Huân chương Bảo vệ Tổ quốc')],
    expect: [
      {
        code: 'value.invalid_choice',
        severity: 'error',
        tab: 'Khen thưởng',
        cell: KHEN_THUONG(1, 'hinh_thuc'),
        message:
          /^Ô {cell} \(.+\): "Huân chương Bảo vệ Tổ quốc" không có trong danh sách\. Hãy chọn trong danh sách thả xuống: Bằng khen Bộ Công an; Bằng khen UBND Thành phố; Giấy khen Giám đốc CATP\.$/,
      },
    ],
  },
  {
    id: 'quota-exceeded',
    kind: 'value',
    judged: 'nominee',
    description: 'Đề nghị Bằng khen Bộ Công an thứ hai (định mức 1)',
    slot: 'police',
    deliver: 'button',
    apply: [type(KHEN_THUONG(2, 'hinh_thuc'), 'Bằng khen Bộ Công an')],
    expect: [
      {
        code: 'khen_thuong.quota_exceeded',
        severity: 'error',
        tab: 'Khen thưởng',
        cell: KHEN_THUONG(2, 'hinh_thuc'),
        message:
          /^Ô {cell}: vượt số lượng đề nghị Bằng khen Bộ Công an: .+; đơn vị đang đề nghị 2\. Hãy bớt 1 đề nghị\.$/,
      },
    ],
    alsoAllowed: [
      'khen_thuong.ineligible_extra_title',
      'khen_thuong.ineligible_commendations',
      'khen_thuong.original_sets',
    ],
  },
  {
    id: 'nominee-name-cleared',
    kind: 'value',
    judged: 'nominee',
    description: 'Xóa tên người được đề nghị, các cột khác vẫn còn',
    slot: 'police',
    deliver: 'button',
    apply: [type(KHEN_THUONG(0, 'ten'), null)],
    expect: [
      {
        code: 'required.field',
        severity: 'error',
        tab: 'Khen thưởng',
        cell: KHEN_THUONG(0, 'ten'),
        message: /^Ô {cell}: dòng \d+ còn thiếu "[^"]+"\. Hãy ghi đủ hoặc xóa cả dòng\.$/,
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Structure

const structure: BadInputCase[] = [
  {
    id: 'tab-renamed',
    kind: 'structure',
    description: 'Đổi tên trang "Bảng 1" thành "Bang 1 - so lieu"',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [{ op: 'renameTab', tab: 'Bảng 1', to: 'Bang 1 - so lieu' }],
    expect: [
      {
        code: 'structure.sheet_renamed',
        severity: 'warning',
        tab: 'Bang 1 - so lieu',
        cell: null,
        message:
          /^Trang "Bảng 1" đã bị đổi tên thành "Bang 1 - so lieu"\. Hệ thống vẫn đọc được, nhưng hãy đổi lại tên "Bảng 1" cho thống nhất\.$/,
      },
    ],
  },
  {
    id: 'tab-deleted',
    kind: 'structure',
    description: 'Xóa trang "Bảng 2"',
    slot: 'bo-sung',
    deliver: 'push',
    apply: [{ op: 'deleteTab', tab: 'Bảng 2' }],
    expect: [
      {
        code: 'structure.sheet_missing',
        severity: 'error',
        tab: 'Bảng 2',
        cell: null,
        message: new RegExp(
          `^Không tìm thấy trang "Bảng 2" \\(Bảng 2\\)\\. Trang có thể đã bị xóa hoặc mất mã ẩn; hãy khôi phục từ Tệp → Lịch sử phiên bản, hoặc liên hệ ${COORDINATOR}\\.$`,
        ),
      },
    ],
  },
  {
    id: 'confirmation-tab-deleted',
    kind: 'structure',
    description: 'Xóa trang "Xác nhận" (có ô gửi báo cáo)',
    slot: 'so-ket',
    deliver: 'button',
    apply: [{ op: 'deleteTab', tab: 'Xác nhận' }],
    expect: [
      {
        code: 'structure.sheet_missing',
        severity: 'error',
        tab: 'Xác nhận',
        cell: null,
        message: /^Không tìm thấy trang "Xác nhận" \(XÁC NHẬN VÀ GỬI BÁO CÁO\)\. .+hãy khôi phục/,
      },
    ],
  },
  {
    id: 'tab-duplicated',
    kind: 'structure',
    description: 'Nhân bản trang "Bảng 1" rồi sửa số trong bản sao',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [
      { op: 'duplicateTab', tab: 'Bảng 1', copy: 'Bản sao của Bảng 1' },
      { op: 'type', at: BANG1('tuyen_truyen.dai_chung', '2020-bs'), value: 999, tab: 'Bản sao của Bảng 1' },
    ],
    expect: [
      {
        code: 'structure.sheet_duplicated',
        severity: 'error',
        tab: 'Bảng 1',
        cell: null,
        message:
          /^Có 2 trang cùng chứa Bảng 1: "Bảng 1", "Bản sao của Bảng 1"\. Hãy xóa các bản sao, chỉ giữ một trang "Bảng 1"\.$/,
      },
    ],
  },
  {
    id: 'column-inserted-with-data',
    kind: 'structure',
    description: 'Chèn thêm một cột vào Bảng 1 và ghi số vào đó',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [
      { op: 'insertColumn', at: BANG1('tuyen_truyen.tai_lieu_dau_loai', '2020-bs') },
      owner(BANG1('tuyen_truyen.tai_lieu_dau_loai', '2020-bs'), 5),
    ],
    expect: [
      {
        code: 'structure.uncoded_data',
        severity: 'error',
        tab: 'Bảng 1',
        cell: BANG1('tuyen_truyen.tai_lieu_dau_loai', '2020-bs'),
        message:
          /^Ô {cell} có dữ liệu \("5"\) nhưng nằm ngoài các ô của biểu mẫu \(cột, dòng chèn thêm hoặc dán lệch\)\. Số liệu này không được tính; hãy chuyển vào đúng ô rồi xóa ở đây\.$/,
      },
    ],
  },
  {
    id: 'column-deleted',
    kind: 'structure',
    description: 'Xóa cột "Kẻ vẽ pa nô, khẩu hiệu"',
    slot: 'bo-sung',
    deliver: 'push',
    apply: [{ op: 'deleteColumn', at: BANG1('tuyen_truyen.pano_khau_hieu', '2020-bs') }],
    expect: [
      {
        code: 'structure.column_missing',
        severity: 'error',
        tab: 'Bảng 1',
        cell: null,
        message:
          /^Trang "Bảng 1": không tìm thấy cột "Kẻ vẽ pa nô, khẩu hiệu" \(mã ẩn tuyen_truyen\.pano_khau_hieu đã bị xóa hoặc sửa\)\. .+hãy khôi phục cột từ Tệp → Lịch sử phiên bản\.$/,
      },
    ],
  },
  {
    id: 'row-inserted-with-data',
    kind: 'structure',
    description: 'Chèn một dòng vào giữa bảng số liệu và ghi số vào đó',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [
      { op: 'insertRow', at: BANG1('tuyen_truyen.dai_chung', '2020-bs') },
      owner(BANG1('tuyen_truyen.dai_chung', '2020-bs'), 12),
    ],
    expect: [
      {
        code: 'structure.uncoded_data',
        severity: 'error',
        tab: 'Bảng 1',
        cell: BANG1('tuyen_truyen.dai_chung', '2020-bs'),
        message: /^Ô {cell} có dữ liệu \("12"\) nhưng nằm ngoài các ô của biểu mẫu/,
      },
    ],
  },
  {
    id: 'row-deleted',
    kind: 'structure',
    description: 'Xóa dòng "Giai đoạn 2015 – 2020" của Bảng 1',
    slot: 'so-ket',
    deliver: 'button',
    apply: [{ op: 'deleteRow', at: BANG1('tuyen_truyen.dai_chung') }],
    expect: [
      {
        code: 'structure.row_missing',
        severity: 'error',
        tab: 'Bảng 1',
        cell: null,
        message:
          /^Trang "Bảng 1": không tìm thấy dòng "Giai đoạn 2015 – 2020" \(mã ẩn 2015-2020 đã bị xóa hoặc sửa\)\. .+hãy khôi phục dòng từ Tệp → Lịch sử phiên bản\.$/,
      },
    ],
  },
  {
    id: 'row-code-cleared',
    kind: 'structure',
    description: 'Xóa mã ẩn của dòng số liệu đợt bổ sung ở Bảng 2',
    slot: 'bo-sung',
    deliver: 'push',
    apply: [owner({ rowCode: ['bang2', '2020-bs'] }, null)],
    expect: [
      {
        code: 'structure.row_missing',
        severity: 'error',
        tab: 'Bảng 2',
        cell: null,
        message:
          /^Trang "Bảng 2": không tìm thấy dòng "Từ 10\/6 đến 31\/8\/2020" \(mã ẩn 2020-bs đã bị xóa hoặc sửa\)\./,
      },
    ],
    alsoAllowed: ['structure.uncoded_data'],
  },
  {
    id: 'column-code-edited',
    kind: 'structure',
    description: 'Sửa mã ẩn của cột "Tuyên truyền trên thông tin đại chúng"',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [owner({ columnCode: ['bang1', 'tuyen_truyen.dai_chung'] }, 'tuyen_truyen.dai_chung2')],
    expect: [
      {
        code: 'structure.column_missing',
        severity: 'error',
        tab: 'Bảng 1',
        cell: null,
        message:
          /^Trang "Bảng 1": không tìm thấy cột "Tuyên truyền trên thông tin đại chúng" \(mã ẩn tuyen_truyen\.dai_chung đã bị xóa hoặc sửa\)\./,
      },
      {
        code: 'structure.code_unknown',
        severity: 'error',
        tab: 'Bảng 1',
        cell: { columnCode: ['bang1', 'tuyen_truyen.dai_chung'] },
        message:
          /^Ô {cell}: mã ẩn "tuyen_truyen\.dai_chung2" không thuộc biểu mẫu \(có thể đã bị sửa\)\. .+hãy khôi phục mã gốc "tuyen_truyen\.dai_chung"\.$/,
      },
    ],
    alsoAllowed: ['structure.uncoded_data'],
  },
  {
    id: 'table-anchor-cleared',
    kind: 'structure',
    description: 'Xóa mã ẩn đầu bảng của trang "Điển hình"',
    slot: 'so-ket',
    deliver: 'button',
    apply: [owner({ marker: '#dien_hinh' }, null)],
    expect: [
      {
        code: 'structure.sheet_missing',
        severity: 'error',
        tab: 'Điển hình',
        cell: null,
        message: /^Không tìm thấy trang "Điển hình" \(.+\)\. Trang có thể đã bị xóa hoặc mất mã ẩn; hãy khôi phục/,
      },
    ],
    alsoAllowed: ['structure.uncoded_data'],
  },
  {
    id: 'code-row-deleted',
    kind: 'structure',
    description: 'Xóa cả dòng mã ẩn của Bảng 2',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [{ op: 'deleteRow', at: { marker: '#bang2' } }],
    expect: [
      {
        code: 'structure.sheet_missing',
        severity: 'error',
        tab: 'Bảng 2',
        cell: null,
        message: /^Không tìm thấy trang "Bảng 2" \(Bảng 2\)\./,
      },
    ],
    alsoAllowed: ['structure.uncoded_data'],
  },
  {
    id: 'code-duplicated',
    kind: 'structure',
    description: 'Chèn cột và chép mã ẩn của một cột sang cột mới',
    slot: 'bo-sung',
    deliver: 'push',
    apply: [
      { op: 'insertColumn', at: BANG1('tuyen_truyen.tai_lieu_ban', '2020-bs') },
      owner({ columnCode: ['bang1', 'tuyen_truyen.tai_lieu_ban'] }, 'tuyen_truyen.dai_chung'),
    ],
    expect: [
      {
        code: 'structure.code_duplicated',
        severity: 'error',
        tab: 'Bảng 1',
        cell: { columnCode: ['bang1', 'tuyen_truyen.tai_lieu_ban'] },
        message:
          /^Mã ẩn "tuyen_truyen\.dai_chung" có ở hai nơi \(ô {cell} và ô [A-Z]+\d+\): cột hoặc dòng đã bị sao chép\. Hãy xóa cột, dòng thừa\.$/,
      },
    ],
  },
  {
    id: 'data-cells-merged',
    kind: 'structure',
    description: 'Gộp hai ô nhập liệu',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [{ op: 'merge', at: BANG1('tuyen_truyen.dai_chung', '2020-bs'), rows: 1, cols: 2 }],
    expect: [
      {
        code: 'structure.merged_cells',
        severity: 'error',
        tab: 'Bảng 1',
        cell: BANG1('tuyen_truyen.dai_chung', '2020-bs'),
        message:
          /^Các ô {cell}:[A-Z]+\d+ đang bị gộp\. Ô nhập liệu không được gộp; hãy bỏ gộp \(Định dạng → Gộp ô → Hủy gộp\) rồi nhập vào từng ô\.$/,
      },
      {
        code: 'required.blank',
        severity: 'error',
        tab: 'Bảng 1',
        cell: BANG1('tuyen_truyen.pano_khau_hieu', '2020-bs'),
        message:
          /^Ô {cell} \(Công tác tuyên truyền – Kẻ vẽ pa nô, khẩu hiệu, Từ 10\/6 đến 31\/8\/2020\) chưa có số liệu\./,
      },
    ],
  },
  {
    id: 'table-pasted-shifted',
    kind: 'structure',
    description: 'Dán cả bảng số liệu lệch sang phải một cột',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [
      {
        op: 'pasteShifted',
        table: 'bang1',
        rows: ['2020-bs'],
        from: 'tuyen_truyen.dai_chung',
        to: 'ngan_sach.khen_thuong',
        by: 1,
      },
    ],
    expect: [
      {
        code: 'required.blank',
        severity: 'error',
        tab: 'Bảng 1',
        cell: BANG1('tuyen_truyen.dai_chung', '2020-bs'),
        message: /^Ô {cell} \(.+\) chưa có số liệu\./,
      },
      {
        code: 'structure.uncoded_data',
        severity: 'error',
        tab: 'Bảng 1',
        cell: { offset: BANG1('ngan_sach.khen_thuong', '2020-bs'), dc: 1 },
        message:
          /^Ô {cell} có dữ liệu \("[\d.,]+"\) nhưng nằm ngoài các ô của biểu mẫu \(cột, dòng chèn thêm hoặc dán lệch\)\./,
      },
    ],
    alsoAllowed: [
      'tuyen_truyen.nguoi_du_it_hon_buoi',
      'tuyen_truyen.tai_lieu_ban_it_hon_dau_loai',
      'tuyen_truyen.nguoi_du_khi_khong_co_buoi',
    ],
  },
  {
    id: 'workbook-of-another-unit',
    kind: 'structure',
    description: 'Bảng tính ghi là của đơn vị khác (dòng nhận diện sửa thành UBND quận Hoàn Kiếm)',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [owner({ marker: '#identity', dc: 1 }, 'ubnd-hoan-kiem')],
    expect: [
      {
        code: 'structure.wrong_unit',
        severity: 'error',
        tab: 'Hướng dẫn',
        cell: null,
        message: new RegExp(
          `^Bảng tính này ghi là của "UBND quận Hoàn Kiếm", nhưng được cấp cho .+\\. Số liệu chỉ được tính cho .+; hãy dùng đúng bảng tính được cấp hoặc liên hệ ${COORDINATOR}\\.$`,
        ),
      },
    ],
  },
  {
    id: 'workbook-of-another-round',
    kind: 'structure',
    description: 'Bảng tính ghi là của đợt sơ kết, nộp vào đợt bổ sung',
    slot: 'bo-sung',
    deliver: 'push',
    apply: [owner({ marker: '#identity', dc: 2 }, 'so-ket-2020')],
    expect: [
      {
        code: 'structure.wrong_round',
        severity: 'error',
        tab: 'Hướng dẫn',
        cell: null,
        message:
          /^Bảng tính này ghi là của đợt "Báo cáo sơ kết", không phải đợt "Báo cáo bổ sung"\. Hãy dùng đúng biểu mẫu của đợt này hoặc liên hệ /,
      },
    ],
  },
  {
    id: 'workbook-of-another-campaign',
    kind: 'structure',
    description: 'Bảng tính của chiến dịch khác (mã chiến dịch 2020–2025)',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [owner({ marker: '#identity', dc: 3 }, 'hanoi-521-2020-2025')],
    expect: [
      {
        code: 'structure.wrong_round',
        severity: 'error',
        tab: 'Hướng dẫn',
        cell: null,
        message:
          /^Bảng tính này ghi là của đợt "Báo cáo bổ sung \(hanoi-521-2020-2025\)", không phải đợt "Báo cáo bổ sung"\. Hãy dùng đúng biểu mẫu/,
      },
    ],
  },
  {
    id: 'identity-cleared',
    kind: 'structure',
    description: 'Xóa dòng nhận diện ẩn ở trang "Hướng dẫn"',
    slot: 'bo-sung',
    deliver: 'button',
    apply: [owner({ marker: '#identity' }, null)],
    expect: [
      {
        code: 'structure.identity_missing',
        severity: 'error',
        tab: 'Hướng dẫn',
        cell: null,
        message:
          /^Không tìm thấy thông tin nhận diện biểu mẫu \(dòng ẩn ở trang "Hướng dẫn"\)\. Có thể tệp không phải biểu mẫu do hệ thống cấp; hãy dùng đúng tệp mẫu\.$/,
      },
    ],
  },
];

export const BAD_INPUTS: BadInputCase[] = [...values, ...structure];
