import type { WorkbookModel } from '../../functions/layout/model.js';

export const TITLE_BANNER = 'BÁO CÁO TỔNG KẾT 5 NĂM THỰC HIỆN QUYẾT ĐỊNH 521/QĐ-TTg';
export const LIST_WITH_COMMA = ['Có, đầy đủ', 'Có, chưa đầy đủ', 'Chưa có'];
export const LONG_LIST = Array.from({ length: 40 }, (_, i) => `Phường Hoàn Kiếm số ${i + 1}`);

const border = { border: true } as const;

/**
 * A small report form shaped like the real ones: a merged banner, a two-row header with
 * merges, typed data cells with validations, a note, a formula total, a hidden code column
 * and a hidden row, a protected sheet with an editable block, and a hidden lookup sheet.
 */
export function sampleWorkbook(): WorkbookModel {
  return {
    title: 'Rà soát Quyết định 521 — Quận Hoàn Kiếm',
    locale: 'vi_VN',
    timeZone: 'Asia/Ho_Chi_Minh',
    sheets: [
      {
        title: 'Biểu 01 – Tổng hợp',
        key: 'bang1',
        rowCount: 20,
        colCount: 8,
        frozenRows: 3,
        frozenCols: 2,
        tabColor: '#1F6FEB',
        columns: [
          { index: 0, width: 40 },
          { index: 1, width: 320 },
          { index: 6, width: 60, hidden: true },
        ],
        rows: [
          { index: 0, height: 40 },
          { index: 7, hidden: true },
          { index: 10, hidden: true },
        ],
        cells: [
          {
            row: 0,
            col: 0,
            value: TITLE_BANNER,
            style: { bold: true, fontSize: 14, hAlign: 'center', vAlign: 'middle', wrap: true },
          },
          { row: 1, col: 0, value: 'STT', style: { bold: true, fill: '#D9E2F3', hAlign: 'center', ...border } },
          { row: 1, col: 1, value: 'Chỉ tiêu', style: { bold: true, fill: '#D9E2F3', ...border } },
          {
            row: 1,
            col: 2,
            value: 'Năm 2015–2020',
            style: { bold: true, fill: '#D9E2F3', hAlign: 'center', ...border },
          },
          { row: 1, col: 3, style: { fill: '#D9E2F3', ...border } },
          { row: 1, col: 4, value: 'Ghi chú', style: { bold: true, fill: '#D9E2F3', ...border } },
          { row: 2, col: 2, value: 'Số lượng', style: { bold: true, italic: true, fontColor: '#C00000', ...border } },
          { row: 2, col: 3, value: 'Tỷ lệ (%)', style: { bold: true, ...border } },
          { row: 3, col: 0, value: 1, style: { hAlign: 'center' } },
          {
            row: 3,
            col: 1,
            value: 'Số xã, phường, thị trấn được rà soát',
            note: 'Đếm cả các đơn vị đã sáp nhập trong kỳ.',
          },
          {
            row: 3,
            col: 2,
            value: 12,
            style: { numberFormat: '#,##0', ...border },
            validation: { kind: 'number', min: 0, integer: true, strict: true, message: 'Nhập số nguyên không âm' },
          },
          {
            row: 3,
            col: 3,
            value: 37.5,
            style: { numberFormat: '0.0', ...border },
            validation: { kind: 'number', min: 0, strict: false },
          },
          { row: 3, col: 4, value: 'Có, đầy đủ', validation: { kind: 'list', values: LIST_WITH_COMMA, strict: true } },
          {
            row: 4,
            col: 4,
            value: 'Có',
            validation: { kind: 'list', values: ['Có', 'Không'], strict: true, message: 'Chọn Có hoặc Không' },
          },
          { row: 4, col: 1, validation: { kind: 'list', values: LONG_LIST, strict: false } },
          { row: 3, col: 5, value: true, validation: { kind: 'checkbox' } },
          { row: 5, col: 1, value: 'Tổng cộng', style: { bold: true } },
          { row: 5, col: 2, formula: '=SUM(C4:C5)', value: 12, style: { bold: true } },
          { row: 6, col: 1, value: '=1+1' },
          { row: 3, col: 6, value: 'ma_01' },
          { row: 7, col: 1, value: 'Dòng ẩn' },
          { row: 8, col: 1, value: '  giữ nguyên khoảng trắng  ' },
        ],
        merges: [
          { startRow: 0, endRow: 1, startCol: 0, endCol: 5 },
          { startRow: 1, endRow: 3, startCol: 0, endCol: 1 },
          { startRow: 1, endRow: 3, startCol: 1, endCol: 2 },
          { startRow: 1, endRow: 2, startCol: 2, endCol: 4 },
          { startRow: 1, endRow: 3, startCol: 4, endCol: 5 },
        ],
        protection: {
          description: 'Chỉ sửa các ô nhập liệu',
          unprotected: [{ startRow: 3, endRow: 6, startCol: 2, endCol: 6 }],
          editors: ['admin@hanoi.gov.vn'],
        },
      },
      {
        title: 'Danh mục',
        key: 'dm',
        rowCount: 5,
        colCount: 2,
        hidden: true,
        columns: [],
        rows: [],
        cells: [
          { row: 0, col: 0, value: 'Mã' },
          { row: 0, col: 1, value: 'Tên đơn vị' },
          { row: 1, col: 0, value: '001' },
          { row: 1, col: 1, value: 'Phường Hàng Bạc' },
        ],
        merges: [],
      },
    ],
  };
}
