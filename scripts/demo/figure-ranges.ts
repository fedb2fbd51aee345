/**
 * Plausible magnitudes for the demo's Bảng 1 / Bảng 2 figures of the Hà Nội 2020 campaign, per
 * unit kind, each row with the reason a coordinator would accept it. The demo must look like
 * something a Phòng XDPT officer could believe (not 13,815 city-level festival days, not a district
 * XDPT team of 162,891 officers). These are our estimates for illustration, not official statistics.
 *
 * How a row is read:
 * - `flow` indicators: `range` is per year; the period's value is that times the period's length in
 *   years (5.5 for 01/2015 – 06/2020, about 0.23 for 10/6 – 31/8/2020).
 * - `perFestival`: festivals happen around 19 August each year, so `range` is per festival season
 *   and the period's value is that times the number of 19 Augusts in it (5 in 01/2015 – 06/2020,
 *   1 in 10/6 – 31/8/2020: the supplementary round is the festival's season).
 * - `stock` indicators: `range` is the value at the end of the period (people, models in existence).
 * - with `per`: the value is `range` times the value of the indicator `per` names in the same period
 *   (people per event, a share of a total). That is how the campaign's rules hold by construction:
 *   people ≥ events, no people without events, valuable tips ≤ all tips, copies ≥ titles.
 * Indicators absent here (another campaign's codes) fall back to the generator's magnitude by unit.
 */

export interface FigureRange {
  range: [number, number];
  /** The indicator this one is a multiple or a share of, in the same period. */
  per?: string;
  /** A flow counted per festival season (19 August) rather than per year. */
  perFestival?: true;
  reason: string;
}

export type RangeTable = Readonly<Record<string, FigureRange>>;

const DISTRICT: RangeTable = {
  'tuyen_truyen.dai_chung': {
    range: [40, 200],
    reason: 'tin, bài một năm trên đài truyền thanh, cổng thông tin, báo của quận/huyện',
  },
  'tuyen_truyen.pano_khau_hieu': { range: [20, 150], reason: 'pa nô, khẩu hiệu treo mỗi năm, nhiều nhất dịp 19/8' },
  'tuyen_truyen.tai_lieu_dau_loai': { range: [3, 20], reason: 'vài đến hai chục đầu tài liệu mỗi năm' },
  'tuyen_truyen.tai_lieu_ban': {
    range: [200, 1500],
    per: 'tuyen_truyen.tai_lieu_dau_loai',
    reason: 'mỗi đầu in vài trăm đến hơn nghìn bản',
  },
  'tuyen_truyen.tap_trung_buoi': { range: [20, 120], reason: '10–30 xã, phường mỗi nơi vài buổi một năm' },
  'tuyen_truyen.tap_trung_nguoi': {
    range: [50, 250],
    per: 'tuyen_truyen.tap_trung_buoi',
    reason: 'một buổi tuyên truyền tập trung có 50–250 người dự',
  },
  'mo_hinh.xay_dung_moi': { range: [3, 15], reason: 'vài mô hình tự quản mới mỗi năm' },
  'mo_hinh.hien_co': { range: [30, 200], reason: 'mô hình đang hoạt động ở cuối kỳ: vài mô hình mỗi xã, phường' },
  'tdkt.giay_khen': { range: [20, 120], reason: 'lượt khen cấp xã, huyện, CATP mỗi năm' },
  'tdkt.bang_khen_tp': { range: [0, 6], reason: 'Cờ, Bằng khen của UBND Thành phố: ít, vài lượt một năm' },
  'luc_luong.bao_ve_cqdn': {
    range: [300, 3000],
    reason: 'bảo vệ cơ quan, doanh nghiệp trên địa bàn (nội thành nhiều hơn)',
  },
  'luc_luong.bvdp': { range: [200, 2000], reason: 'bảo vệ dân phố: vài trăm đến vài nghìn người mỗi quận, huyện' },
  'luc_luong.cong_an_xa': {
    range: [10, 300],
    reason: 'công an xã: vài người mỗi xã, quận nội thành ít hoặc không có xã',
  },
  'luc_luong.doi_xdpt': { range: [5, 15], reason: 'Đội XDPT của công an quận, huyện: vài cán bộ, chiến sĩ' },
  'ngan_sach.xdpt_chung': { range: [200, 1500], reason: 'triệu đồng mỗi năm cho công tác xây dựng phong trào' },
  'ngan_sach.cong_an_xa': { range: [100, 1200], reason: 'triệu đồng mỗi năm bảo đảm hoạt động của công an xã' },
  'ngan_sach.bvdp': { range: [100, 1500], reason: 'triệu đồng mỗi năm bảo đảm hoạt động của bảo vệ dân phố' },
  'ngan_sach.khen_thuong': { range: [20, 200], reason: 'triệu đồng mỗi năm cho sơ kết, tổng kết, khen thưởng' },
  'ngay_hoi.co_quan.luot': {
    range: [5, 40],
    perFestival: true,
    reason: 'cơ quan, doanh nghiệp, trường học tổ chức Ngày hội mỗi năm',
  },
  'ngay_hoi.co_quan.nguoi': {
    range: [50, 300],
    per: 'ngay_hoi.co_quan.luot',
    reason: 'người dự mỗi Ngày hội ở cơ quan, trường học',
  },
  'ngay_hoi.thon_to.luot': {
    range: [80, 600],
    perFestival: true,
    reason: 'hàng trăm thôn, tổ dân phố mỗi quận, huyện; phần lớn tổ chức hằng năm',
  },
  'ngay_hoi.thon_to.nguoi': {
    range: [80, 300],
    per: 'ngay_hoi.thon_to.luot',
    reason: 'người dự mỗi Ngày hội ở thôn, tổ dân phố',
  },
  'ngay_hoi.xa_phuong.luot': {
    range: [2, 30],
    perFestival: true,
    reason: '10–30 xã, phường; không phải nơi nào cũng tổ chức cấp xã mỗi năm',
  },
  'ngay_hoi.xa_phuong.nguoi': {
    range: [200, 800],
    per: 'ngay_hoi.xa_phuong.luot',
    reason: 'người dự mỗi Ngày hội cấp xã, phường',
  },
  'ngay_hoi.quan_huyen.luot': {
    range: [0.6, 1],
    perFestival: true,
    reason: 'Ngày hội cấp quận, huyện: hầu hết các năm, một lần',
  },
  'ngay_hoi.quan_huyen.nguoi': {
    range: [300, 1500],
    per: 'ngay_hoi.quan_huyen.luot',
    reason: 'người dự Ngày hội cấp quận, huyện',
  },
  // Not [0, 0.12] (a handful of host districts over the period): one host among 29 peers whose median is 0 is
  // flagged by the peer-outlier rule (median 0, spread 0), a warning a clean demo must not raise. See the report.
  'ngay_hoi.thanh_pho.luot': {
    range: [0, 0],
    perFestival: true,
    reason: 'Ngày hội cấp Thành phố do Thành phố tổ chức (vài lần cả giai đoạn); quận, huyện không tự đếm',
  },
  'ngay_hoi.thanh_pho.nguoi': {
    range: [1000, 3000],
    per: 'ngay_hoi.thanh_pho.luot',
    reason: 'người dự Ngày hội cấp Thành phố',
  },
  'dia_ban.phuc_tap': {
    range: [0.2, 2],
    reason: 'địa bàn phức tạp về ANTT được xác định, chuyển hóa: vài địa bàn trong giai đoạn',
  },
  'dia_ban.khieu_kien': { range: [1, 10], reason: 'vụ khiếu kiện đông người, kéo dài mỗi năm' },
  'tin_bao.tong_so': { range: [100, 800], reason: 'tin về ANTT nhân dân cung cấp mỗi năm' },
  'tin_bao.co_gia_tri': {
    range: [0.2, 0.6],
    per: 'tin_bao.tong_so',
    reason: 'một phần năm đến hơn một nửa số tin có giá trị',
  },
  'tin_bao.lam_ro_vu': {
    range: [0.1, 0.5],
    per: 'tin_bao.co_gia_tri',
    reason: 'số vụ làm rõ ít hơn số tin có giá trị',
  },
  'tin_bao.bat_giu': { range: [0.8, 2], per: 'tin_bao.lam_ro_vu', reason: 'một đến hai đối tượng mỗi vụ làm rõ' },
  'giao_duc.tong_so': { range: [10, 80], reason: 'người lầm lỗi được giáo dục tại cộng đồng mỗi năm' },
  'giao_duc.khong_tai_pham': { range: [0.8, 1], per: 'giao_duc.tong_so', reason: 'phần lớn không tái phạm' },
  'tai_hoa_nhap.duoc_giup_do': { range: [10, 100], reason: 'người chấp hành xong án phạt được giúp đỡ mỗi năm' },
};

// Sectors: fewer peers (about ten), so ranges are kept within a factor of 2.5 (or fixed at 0): a
// unit at either end is then never five times off its peers' median, which the outlier rule would flag.
const SECTOR: RangeTable = {
  'tuyen_truyen.dai_chung': { range: [40, 100], reason: 'tin, bài trên báo, trang tin của sở, ngành, đoàn thể' },
  'tuyen_truyen.pano_khau_hieu': { range: [5, 12], reason: 'ít pa nô: sở, ngành không quản lý địa bàn' },
  'tuyen_truyen.tai_lieu_dau_loai': { range: [4, 10], reason: 'tài liệu chuyên đề cho hội viên, đoàn viên, học sinh' },
  'tuyen_truyen.tai_lieu_ban': {
    range: [300, 600],
    per: 'tuyen_truyen.tai_lieu_dau_loai',
    reason: 'bản phát hành mỗi đầu tài liệu',
  },
  'tuyen_truyen.tap_trung_buoi': { range: [20, 50], reason: 'buổi tuyên truyền trong hệ thống của ngành mỗi năm' },
  'tuyen_truyen.tap_trung_nguoi': { range: [60, 120], per: 'tuyen_truyen.tap_trung_buoi', reason: 'người dự mỗi buổi' },
  'mo_hinh.xay_dung_moi': { range: [2, 5], reason: 'vài mô hình mới mỗi năm trong ngành' },
  'mo_hinh.hien_co': { range: [15, 35], reason: 'mô hình của ngành đang hoạt động cuối kỳ' },
  'tdkt.giay_khen': { range: [4, 10], reason: 'Giấy khen cấp xã, huyện, CATP cho tập thể, cá nhân của ngành: ít' },
  'tdkt.bang_khen_tp': { range: [1, 2.5], reason: 'Cờ, Bằng khen của UBND Thành phố: vài lượt' },
  'luc_luong.bao_ve_cqdn': { range: [60, 150], reason: 'bảo vệ các cơ quan, đơn vị trực thuộc ngành' },
  'luc_luong.bvdp': { range: [0, 0], reason: 'bảo vệ dân phố thuộc quận, huyện, không thuộc sở, ngành' },
  'luc_luong.cong_an_xa': { range: [0, 0], reason: 'công an xã thuộc địa bàn, không thuộc sở, ngành' },
  'luc_luong.doi_xdpt': { range: [0, 0], reason: 'Đội XDPT là của công an quận, huyện' },
  'ngan_sach.xdpt_chung': { range: [80, 200], reason: 'triệu đồng mỗi năm của ngành cho phong trào' },
  'ngan_sach.cong_an_xa': { range: [0, 0], reason: 'ngành không chi cho công an xã' },
  'ngan_sach.bvdp': { range: [0, 0], reason: 'ngành không chi cho bảo vệ dân phố' },
  'ngan_sach.khen_thuong': { range: [30, 75], reason: 'triệu đồng mỗi năm cho sơ kết, khen thưởng trong ngành' },
  'ngay_hoi.co_quan.luot': {
    range: [15, 35],
    perFestival: true,
    reason: 'Ngày hội ở cơ quan, trường học, đơn vị trực thuộc',
  },
  'ngay_hoi.co_quan.nguoi': { range: [100, 200], per: 'ngay_hoi.co_quan.luot', reason: 'người dự mỗi Ngày hội' },
  'ngay_hoi.thon_to.luot': { range: [1, 2.5], perFestival: true, reason: 'ngành ít khi tự tổ chức ở thôn, tổ dân phố' },
  'ngay_hoi.thon_to.nguoi': { range: [60, 120], per: 'ngay_hoi.thon_to.luot', reason: 'người dự mỗi Ngày hội' },
  'ngay_hoi.xa_phuong.luot': {
    range: [0.6, 1],
    perFestival: true,
    reason: 'phối hợp tổ chức ở một xã, phường mỗi mùa Ngày hội',
  },
  'ngay_hoi.xa_phuong.nguoi': { range: [250, 500], per: 'ngay_hoi.xa_phuong.luot', reason: 'người dự mỗi Ngày hội' },
  'ngay_hoi.quan_huyen.luot': {
    range: [0, 0],
    perFestival: true,
    reason: 'cấp quận, huyện do quận, huyện chủ trì; ngành phối hợp, không tính riêng',
  },
  'ngay_hoi.quan_huyen.nguoi': { range: [300, 1000], per: 'ngay_hoi.quan_huyen.luot', reason: 'người dự mỗi Ngày hội' },
  'ngay_hoi.thanh_pho.luot': {
    range: [0, 0],
    perFestival: true,
    reason: 'cấp Thành phố do Thành phố chủ trì; ngành phối hợp, không tính riêng',
  },
  'ngay_hoi.thanh_pho.nguoi': { range: [1000, 3000], per: 'ngay_hoi.thanh_pho.luot', reason: 'người dự mỗi Ngày hội' },
  'dia_ban.phuc_tap': { range: [0, 0], reason: 'địa bàn phức tạp là việc của quận, huyện' },
  'dia_ban.khieu_kien': { range: [0, 0], reason: 'khiếu kiện theo địa bàn, không theo ngành' },
  'tin_bao.tong_so': { range: [10, 25], reason: 'tin do đoàn viên, hội viên cung cấp qua ngành' },
  'tin_bao.co_gia_tri': { range: [0.3, 0.6], per: 'tin_bao.tong_so', reason: 'một phần số tin có giá trị' },
  'tin_bao.lam_ro_vu': { range: [0.2, 0.4], per: 'tin_bao.co_gia_tri', reason: 'ít hơn số tin có giá trị' },
  'tin_bao.bat_giu': { range: [1, 2], per: 'tin_bao.lam_ro_vu', reason: 'một đến hai đối tượng mỗi vụ' },
  'giao_duc.tong_so': { range: [2, 5], reason: 'ngành tham gia giáo dục người lầm lỗi: ít' },
  'giao_duc.khong_tai_pham': { range: [0.8, 1], per: 'giao_duc.tong_so', reason: 'phần lớn không tái phạm' },
  'tai_hoa_nhap.duoc_giup_do': { range: [5, 12], reason: 'giúp đỡ việc làm, vốn cho người tái hòa nhập' },
};

/** Ranges by unit kind id of the 2020 Hà Nội campaign; other kinds and campaigns use the fallback. */
export const FIGURE_RANGES: Readonly<Record<string, RangeTable>> = { district: DISTRICT, sector: SECTOR };

/** The period's length in years (a period's `to` is inclusive). */
export function periodYears(from: string, to: string): number {
  return (Date.parse(to) - Date.parse(from) + 86_400_000) / (365.25 * 86_400_000);
}

/** How many festival days (19 August) fall in the period. */
export function festivalsIn(from: string, to: string): number {
  let count = 0;
  for (let y = Number(from.slice(0, 4)); y <= Number(to.slice(0, 4)); y++)
    if (`${y}-08-19` >= from && `${y}-08-19` <= to) count++;
  return count;
}

/** What a row's `range` is multiplied by in a period: its length in years, its festivals, or 1 for a stock. */
export function periodFactor(
  row: FigureRange,
  aggregate: 'flow' | 'stock',
  period: { from: string; to: string },
): number {
  if (aggregate === 'stock') return 1;
  return row.perFestival ? festivalsIn(period.from, period.to) : periodYears(period.from, period.to);
}

/**
 * The bounds a generated value must lie in: `[lo, hi]` times the period's years for a flow, as is
 * for a stock, times the `per` indicator's value when set; widened to whole numbers for an integer
 * indicator (the generator rounds).
 */
export function boundsOf(
  row: FigureRange,
  aggregate: 'flow' | 'stock',
  type: 'integer' | 'decimal',
  period: { from: string; to: string },
  perValue: number | undefined,
): [number, number] {
  const factor = row.per !== undefined ? (perValue ?? 0) : periodFactor(row, aggregate, period);
  const low = row.range[0] * factor;
  const high = row.range[1] * factor;
  return type === 'integer'
    ? [Math.floor(low), Math.ceil(high)]
    : [Math.floor(low * 100) / 100, Math.ceil(high * 100) / 100];
}
