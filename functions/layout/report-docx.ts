/**
 * The draft of the city's report (.docx): the outline I–V of the campaign's narrative
 * checklist, under each item what the units wrote (each attributed to its unit), the consolidated
 * figures where III.1 and III.2 ask for them, the typical examples compiled (III.2.e) and who
 * reported on time, late or not at all. A draft for Phòng XDPT to edit, in Word, LibreOffice or
 * Google Docs: plain paragraphs and tables, A4, Times New Roman 14 (13 in tables), as
 * administrative documents are typed.
 *
 * `docx` is loaded on first use only: the functions' handlers must not pay for it on a cold start.
 */
import type { ChecklistTable, FiguresTable } from '../../sheets-schema/campaign-schema.js';
import type { CampaignModel } from '../core/campaign-model.js';
import type { MasterRound, MasterView, Timeliness } from '../core/master-view.js';
import { indicatorLabel } from '../core/figures.js';
import { civilDateOf, formatViDateTime } from '../core/time.js';

type Docx = typeof import('docx');
type Block = InstanceType<Docx['Paragraph']> | InstanceType<Docx['Table']>;

/** What one unit wrote for the report: outline item code → summary / page reference, and its typical examples. */
export interface UnitNarrative {
  unitId: string;
  outline: Record<string, { content: string | null; reference: string | null }>;
  examples: Record<string, string | number | boolean | null>[];
}

/** The headline label; the figures are the view's `totals` (the districts' subtotal, the territory). */
export const CITY_TOTAL_LABEL = 'Toàn Thành phố (cộng quận, huyện, thị xã)';
/** Where the outline asks for figures: the group of items whose codes start so, and the table quoted there. */
const FIGURES_AT: { prefix: string; tableId: string; heading: string }[] = [
  {
    prefix: 'III.1.',
    tableId: 'bang1',
    heading: '1. Kết quả thực hiện Quyết định số 521/QĐ-TTg (số liệu tổng hợp, Bảng 1)',
  },
  { prefix: 'III.2.', tableId: 'bang2', heading: '2. Kết quả tổ chức Ngày hội (số liệu tổng hợp, Bảng 2)' },
];
/** The item whose content is the compiled typical examples. */
const EXAMPLES_ITEM = 'III.2.e';
export const TIMELINESS_HEADINGS: Record<Exclude<Timeliness, 'pending'>, string> = {
  'on-time': 'Các đơn vị báo cáo đúng hạn',
  late: 'Các đơn vị báo cáo muộn',
  missing: 'Các đơn vị chưa báo cáo',
};

const A4_PAGE = { width: 11906, height: 16838 }; // twentieths of a point
const TWIPS_PER_CM = 567;
const BODY_SIZE = 28; // half-points: 14 pt
const TABLE_SIZE = 26; // 13 pt

const viNumber = new Intl.NumberFormat('vi-VN', { maximumFractionDigits: 2 });
export const formatFigure = (n: number | null | undefined): string =>
  n === null || n === undefined ? '–' : viNumber.format(n);

export async function renderCityReportDocx(
  model: CampaignModel,
  view: MasterView,
  roundId: string,
  now: number,
  narratives: UnitNarrative[] = [],
): Promise<Buffer> {
  const docx: Docx = await import('docx');
  const { AlignmentType, BorderStyle, Document, Packer, Paragraph, Table, TableCell, TableRow, TextRun, WidthType } =
    docx;
  const round = view.rounds.find((r) => r.roundId === roundId);
  if (!round) throw new Error(`round ${roundId} is not in the master view`);
  const roundDef = model.round(roundId);
  const unitName = (id: string) => model.findUnit(id)?.name ?? id;
  const unitOrder = new Map(model.campaign.units.map((u, i) => [u.id, i]));
  const ordered = [...narratives].sort((a, b) => (unitOrder.get(a.unitId) ?? 0) - (unitOrder.get(b.unitId) ?? 0));

  const para = (
    text: string,
    opts: { bold?: boolean; italic?: boolean; center?: boolean; size?: number; indent?: boolean } = {},
  ) =>
    new Paragraph({
      alignment: opts.center ? AlignmentType.CENTER : AlignmentType.JUSTIFIED,
      spacing: { after: 80, line: 300 },
      ...(opts.indent ? { indent: { firstLine: Math.round(1.27 * TWIPS_PER_CM) } } : {}),
      children: [
        new TextRun({
          text,
          bold: opts.bold ?? false,
          italics: opts.italic ?? false,
          ...(opts.size ? { size: opts.size } : {}),
        }),
      ],
    });
  const attributed = (unit: string, text: string) =>
    new Paragraph({
      alignment: AlignmentType.JUSTIFIED,
      spacing: { after: 80, line: 300 },
      indent: { firstLine: Math.round(1.27 * TWIPS_PER_CM) },
      children: [new TextRun({ text: `${unit}: `, bold: true }), new TextRun({ text })],
    });
  const cell = (text: string, opts: { bold?: boolean; center?: boolean; width?: number } = {}) =>
    new TableCell({
      ...(opts.width ? { width: { size: opts.width, type: WidthType.PERCENTAGE } } : {}),
      children: [
        new Paragraph({
          alignment: opts.center ? AlignmentType.CENTER : AlignmentType.LEFT,
          children: [new TextRun({ text, bold: opts.bold ?? false, size: TABLE_SIZE })],
        }),
      ],
    });
  const table = (header: string[], rows: string[][], widths: number[]) =>
    new Table({
      width: { size: 100, type: WidthType.PERCENTAGE },
      rows: [
        new TableRow({
          tableHeader: true,
          children: header.map((h, i) => cell(h, { bold: true, center: true, width: widths[i]! })),
        }),
        ...rows.map(
          (r) =>
            new TableRow({
              cantSplit: true,
              children: r.map((t, i) =>
                cell(t, { width: widths[i]!, center: i > 0 && i < r.length && /^[\d.,–-]+$/.test(t) }),
              ),
            }),
        ),
      ],
    });
  const noBorders = {
    top: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
    bottom: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
    left: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
    right: { style: BorderStyle.NONE, size: 0, color: 'FFFFFF' },
  };

  // Header block of an administrative document: the issuing body left, the national motto right.
  const [year, month, day] = civilDateOf(now, model.timeZone).split('-');
  const headerBlock = new Table({
    width: { size: 100, type: WidthType.PERCENTAGE },
    borders: { ...noBorders, insideHorizontal: noBorders.top, insideVertical: noBorders.top },
    rows: [
      new TableRow({
        children: [
          new TableCell({
            width: { size: 42, type: WidthType.PERCENTAGE },
            borders: noBorders,
            children: [
              para('CÔNG AN THÀNH PHỐ HÀ NỘI', { bold: true, center: true, size: TABLE_SIZE }),
              para('Số:       /BC-CATP', { center: true, size: TABLE_SIZE }),
            ],
          }),
          new TableCell({
            width: { size: 58, type: WidthType.PERCENTAGE },
            borders: noBorders,
            children: [
              para('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM', { bold: true, center: true, size: TABLE_SIZE }),
              para('Độc lập - Tự do - Hạnh phúc', { bold: true, center: true }),
              para(`Hà Nội, ngày ${day} tháng ${month} năm ${year}`, { italic: true, center: true }),
            ],
          }),
        ],
      }),
    ],
  });

  const checklist = model
    .tablesFor(firstReportingUnit(model, roundId), roundId)
    .find((t) => t.table.kind === 'checklist')?.table as ChecklistTable | undefined;
  const outline =
    checklist ?? (model.campaign.tables.find((t) => t.kind === 'checklist') as ChecklistTable | undefined);
  const blocks: Block[] = [
    headerBlock,
    para('DỰ THẢO', { bold: true, center: true, italic: true }),
    para('BÁO CÁO', { bold: true, center: true }),
    para(outline?.subtitle ?? model.campaign.title, { bold: true, center: true }),
    para(
      `${roundDef.name}: ${roundDef.description ?? ''} (tổng hợp từ báo cáo của các đơn vị đến ${formatViDateTime(now, model.timeZone)})`,
      { italic: true, center: true, size: TABLE_SIZE },
    ),
  ];

  const figuresTableFor = (tableId: string): FiguresTable | undefined =>
    model.figuresTables().find((t) => t.id === tableId && round.totals[t.id] !== undefined);
  // The groups that are not the headline (the sectors) are quoted beside it, never added in.
  const beside = round.groups.filter((g) => !g.headline && g.contributors > 0);
  const figuresBlock = (t: FiguresTable): Block[] => [
    para(
      `Số liệu tổng hợp toàn Thành phố (cộng quận, huyện, thị xã), từ báo cáo của ${round.contributors} đơn vị đã được tổng hợp${beside.length ? `; ${beside.map((g) => `${g.subtotalLabel.replace(/^Cộng /, '')} (${g.contributors} đơn vị)`).join('; ')} ghi riêng bên cạnh, không cộng vào số chung vì hoạt động diễn ra trên cùng địa bàn` : ''}:`,
      { indent: true },
    ),
    table(
      ['Nội dung', 'Đơn vị tính', CITY_TOTAL_LABEL, ...beside.map((g) => `${g.subtotalLabel} (ghi riêng)`)],
      t.indicators.map((i) => [
        indicatorLabel(i),
        i.unit,
        formatFigure(round.totals[t.id]?.[i.code]),
        ...beside.map((g) => formatFigure(g.subtotal[t.id]?.[i.code])),
      ]),
      beside.length ? [45, 11, 22, ...beside.map(() => Math.floor(22 / beside.length))] : [60, 15, 25],
    ),
  ];

  if (checklist) {
    const figuresShown = new Set<string>();
    for (const section of checklist.sections) {
      blocks.push(para(`${section.code}. ${section.title}`, { bold: true }));
      for (const item of section.items) {
        const at = FIGURES_AT.find((f) => item.code.startsWith(f.prefix));
        if (at && !figuresShown.has(at.prefix)) {
          figuresShown.add(at.prefix);
          blocks.push(para(at.heading, { bold: true }));
          const table = figuresTableFor(at.tableId);
          if (table) blocks.push(...figuresBlock(table));
        }
        blocks.push(para(`${item.code}. ${item.text}`, { bold: true, italic: true }));
        const said = ordered.flatMap((narrative) => {
          const entry = narrative.outline[item.code];
          if (entry?.content) return [attributed(unitName(narrative.unitId), entry.content)];
          if (entry?.reference)
            return [attributed(unitName(narrative.unitId), `xem báo cáo đính kèm (${entry.reference}).`)];
          return [];
        });
        blocks.push(
          ...(said.length
            ? said
            : [para('(Chưa có đơn vị nào báo cáo nội dung này.)', { italic: true, indent: true })]),
        );
        if (item.code === EXAMPLES_ITEM) blocks.push(...examplesBlock());
      }
    }
  } else {
    // A round without the narrative outline (the supplementary round): its figures only.
    blocks.push(para('I. SỐ LIỆU TỔNG HỢP', { bold: true }));
    for (const table of model.figuresTables())
      if (round.totals[table.id])
        blocks.push(
          para(`${table.label}: ${table.subtitle ?? table.caption}`, { bold: true, italic: true }),
          ...figuresBlock(table),
        );
  }

  blocks.push(
    para(checklist ? 'PHỤ LỤC: TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ' : 'II. TÌNH HÌNH BÁO CÁO CỦA CÁC ĐƠN VỊ', {
      bold: true,
    }),
    ...timelinessBlock(),
  );
  blocks.push(
    para('Nơi nhận:', { bold: true, italic: true, size: 24 }),
    para('- UBND Thành phố;', { size: 22 }),
    para('- Bộ Công an (qua Cục Xây dựng phong trào bảo vệ ANTQ);', { size: 22 }),
    para('- Lưu: VT, PV05.', { size: 22 }),
  );

  function examplesBlock(): Block[] {
    const rows = ordered.flatMap((n) =>
      n.examples.map((e) => [
        String(e.ten ?? ''),
        typeof e.loai === 'string' ? model.optionLabel('loai_doi_tuong', e.loai) : '',
        String(e.thanh_tich ?? ''),
        unitName(n.unitId),
      ]),
    );
    if (!rows.length) return [para('(Chưa có điển hình nào được báo cáo.)', { italic: true, indent: true })];
    return [
      para(`Tổng hợp ${rows.length} điển hình tiên tiến do các đơn vị đề xuất:`, { indent: true }),
      table(
        ['STT', 'Tên tập thể / cá nhân', 'Tập thể / Cá nhân', 'Thành tích, cách làm hay', 'Đơn vị đề xuất'],
        rows.map((r, i) => [String(i + 1), ...r]),
        [6, 24, 12, 38, 20],
      ),
    ];
  }

  function timelinessBlock(): Block[] {
    const expected = round!.units.filter((u) => u.expected);
    const out: Block[] = [];
    for (const timeliness of ['on-time', 'late', 'missing'] as const) {
      const units = expected.filter((u) => u.timeliness === timeliness);
      out.push(para(`${TIMELINESS_HEADINGS[timeliness]} (${units.length}):`, { bold: true, indent: true }));
      const detail = (u: MasterRound['units'][number]) =>
        u.firstAcceptedAt !== null
          ? `${unitName(u.unitId)} (gửi lúc ${formatViDateTime(u.firstAcceptedAt, model.timeZone)})`
          : unitName(u.unitId);
      out.push(para(units.length ? units.map(detail).join('; ') + '.' : 'Không có.', { indent: true }));
    }
    const pending = expected.filter((u) => u.timeliness === 'pending');
    if (pending.length)
      out.push(
        para(`Chưa đến hạn, chưa gửi (${pending.length}): ${pending.map((u) => unitName(u.unitId)).join('; ')}.`, {
          indent: true,
        }),
      );
    return out;
  }

  const doc = new Document({
    creator: model.campaign.coordinator.name,
    title: `Báo cáo tổng hợp – ${roundDef.name}`,
    styles: { default: { document: { run: { font: 'Times New Roman', size: BODY_SIZE } } } },
    sections: [
      {
        properties: {
          page: {
            size: A4_PAGE,
            margin: {
              top: 2 * TWIPS_PER_CM,
              bottom: 2 * TWIPS_PER_CM,
              left: 3 * TWIPS_PER_CM,
              right: 1.5 * TWIPS_PER_CM,
            },
          },
        },
        children: blocks,
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A unit that reports in the round, to ask the model which tables the round's report has. */
function firstReportingUnit(model: CampaignModel, roundId: string): string {
  return (
    model.campaign.units.find(
      (u) =>
        model.isExpected(u.id, roundId) && model.tablesFor(u.id, roundId).some((t) => t.table.kind === 'checklist'),
    )?.id ??
    model.campaign.units.find((u) => model.isExpected(u.id, roundId))?.id ??
    ''
  );
}
