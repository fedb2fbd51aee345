/**
 * The unit workbook for one unit and round, derived from the campaign: only the tabs that
 * unit kind submits, shaped like the official tables, with hidden code rows and columns
 * (see core/markers.ts) that the reader uses to find every value.
 */
import type { ChecklistTable, FiguresTable, ListField, ListTable, Table } from '../../sheets-schema/campaign-schema.js';
import type { CampaignModel, TableRequirement } from '../core/campaign-model.js';
import {
  END_MARKER,
  FORM_VALUE_CODE,
  IDENTITY_MARKER,
  LABEL_COLUMN_CODE,
  VERDICT_COLUMN_CODE,
  SECTION_MARKER,
  STATUS_MARKER,
  TOTAL_ROW_CODE,
  confirmationAnchor,
  formBlockAnchor,
  tableAnchor,
} from '../core/markers.js';
import { confirmationWording, nominatesOnly } from '../core/report.js';
import { formatCivilDate, formatViDateTime } from '../core/time.js';
import type { DataValidation, SheetModel, WorkbookModel } from './model.js';
import { writeFiguresHeader } from './figures-header.js';
import { PALETTE, STYLES, SheetBuilder } from './sheet-builder.js';
import { bannerStart } from './frozen.js';

/** Hidden code column; everything a person sees starts in column B. */
const CODE_COL = 0;
const LABEL_COL = 1;
const FIRST_DATA_COL = 2;
export const INITIAL_STATUS = 'Chưa nhập số liệu';
const INSTRUCTIONS_TEXT_WIDTH = 640;
const CHECKLIST_TEXT_WIDTH = 420;
const FIGURES_LABEL_WIDTH = 200;
/** Figures tabs keep the period label column frozen: a clerk scrolls across some twenty indicator columns. */
const FIGURES_FROZEN_COLS = LABEL_COL + 1;
const PROTECTION_NOTE = 'Tiêu đề và mã ẩn của biểu mẫu: chỉ nhập vào các ô nền trắng.';

interface Context {
  model: CampaignModel;
  unitId: string;
  roundId: string;
  editors: string[];
}

/**
 * The banner rows above a table. `frozenCols` is the tab's frozen column count: Google refuses
 * a merge across the freeze line, so when the label column is frozen the unit line wraps inside
 * it and the title rows span the scrolling columns only (see layout/frozen.ts).
 */
function headerBlock(
  builder: SheetBuilder,
  ctx: Context,
  lastCol: number,
  caption: string,
  subtitle: string,
  opts: { frozenCols: number; labelWidth: number; rightLabel?: string },
): number {
  const unit = ctx.model.unit(ctx.unitId);
  const unitLine = `ĐƠN VỊ: ${unit.name}`;
  if (opts.frozenCols > LABEL_COL)
    builder
      .set(0, LABEL_COL, unitLine, { bold: true, fontColor: PALETTE.title, wrap: true, vAlign: 'middle' })
      .fitText(0, unitLine, opts.labelWidth);
  else
    builder
      .set(0, LABEL_COL, unitLine, { bold: true, fontColor: PALETTE.title })
      .merge(0, LABEL_COL, 1, Math.min(lastCol, LABEL_COL + 3) + 1);
  if (opts.rightLabel && lastCol > LABEL_COL + 3)
    builder.set(0, lastCol, opts.rightLabel, { bold: true, italic: true, hAlign: 'right' });
  statusRow(builder, 1, lastCol);
  const from = bannerStart(LABEL_COL, opts.frozenCols);
  builder
    .set(2, from, caption, STYLES.title)
    .merge(2, from, 3, lastCol + 1)
    .row(2, { height: 28 });
  builder
    .set(3, from, subtitle, STYLES.subtitle)
    .merge(3, from, 4, lastCol + 1)
    .row(3, { height: 40 });
  const round = ctx.model.round(ctx.roundId);
  const period = `${formatCivilDate(round.dataWindow.from)} – ${formatCivilDate(round.dataWindow.to)}`;
  builder
    .set(4, from, `${round.name}: số liệu từ ${period}; gửi trước ngày ${formatCivilDate(round.dueDate)}.`, {
      italic: true,
      hAlign: 'center',
    })
    .merge(4, from, 5, lastCol + 1);
  return 6;
}

function statusRow(builder: SheetBuilder, row: number, lastCol: number) {
  builder.set(row, CODE_COL, STATUS_MARKER, STYLES.hidden);
  builder.set(row, LABEL_COL, 'Tình trạng:', { bold: true, hAlign: 'right', vAlign: 'middle' });
  builder
    .set(row, LABEL_COL + 1, INITIAL_STATUS, STYLES.status)
    .merge(row, LABEL_COL + 1, row + 1, Math.max(lastCol, LABEL_COL + 1) + 1)
    .row(row, { height: 36 });
  builder.style(
    { startRow: row, endRow: row + 1, startCol: LABEL_COL + 1, endCol: Math.max(lastCol, LABEL_COL + 1) + 1 },
    STYLES.status,
  );
}

function numberValidation(type: 'integer' | 'decimal'): DataValidation {
  return {
    kind: 'number',
    min: 0,
    integer: type === 'integer',
    strict: false,
    message:
      type === 'integer'
        ? 'Nhập số nguyên từ 0 trở lên, ví dụ 1.234'
        : 'Nhập số từ 0 trở lên, phần thập phân dùng dấu phẩy, ví dụ 12,5',
  };
}

function numberFormat(type: 'integer' | 'decimal'): string {
  return type === 'integer' ? '#,##0' : '#,##0.###';
}

function figuresSheet(ctx: Context, table: FiguresTable, requirement: TableRequirement): SheetModel {
  const builder = new SheetBuilder(table.sheetTitle, table.id);
  const inds = table.indicators;
  const lastCol = FIRST_DATA_COL + inds.length - 1;
  const top = headerBlock(builder, ctx, lastCol, table.caption, table.subtitle, {
    frozenCols: FIGURES_FROZEN_COLS,
    labelWidth: FIGURES_LABEL_WIDTH,
    rightLabel: table.label + (requirement === 'optional' ? ' (không bắt buộc)' : ''),
  });
  const depth = writeFiguresHeader(builder, inds, top, FIRST_DATA_COL, LABEL_COL, 'Kỳ báo cáo');

  const unitRow = top + depth;
  const numberRow = unitRow + 1;
  const codeRow = numberRow + 1;
  builder.set(unitRow, LABEL_COL, 'Đơn vị tính', { ...STYLES.header, italic: true, bold: false });
  builder.set(numberRow, LABEL_COL, 'Cột', { ...STYLES.header, bold: false, fontColor: PALETTE.muted });
  inds.forEach((ind, indicatorIndex) => {
    const col = FIRST_DATA_COL + indicatorIndex;
    builder.set(unitRow, col, ind.unit, { ...STYLES.header, italic: true, bold: false });
    builder.set(numberRow, col, `(${indicatorIndex + 1})`, { ...STYLES.header, bold: false, fontColor: PALETTE.muted });
    builder.set(codeRow, col, ind.code, STYLES.hidden);
    builder.column(col, { width: ind.width ?? 105 });
  });
  builder
    .set(codeRow, CODE_COL, tableAnchor(table.id), STYLES.hidden)
    .set(codeRow, LABEL_COL, LABEL_COLUMN_CODE, STYLES.hidden);
  builder.row(codeRow, { hidden: true });

  const round = ctx.model.round(ctx.roundId);
  let row = codeRow + 1;
  const firstDataRow = row;
  for (const periodId of round.periods) {
    builder.set(row, CODE_COL, periodId, STYLES.hidden);
    builder.set(row, LABEL_COL, ctx.model.period(periodId).label, { ...STYLES.label, bold: true });
    inds.forEach((ind, indicatorIndex) => {
      builder.set(
        row,
        FIRST_DATA_COL + indicatorIndex,
        null,
        { ...STYLES.input, numberFormat: numberFormat(ind.type) },
        { validation: numberValidation(ind.type) },
      );
    });
    builder.row(row, { height: 26 });
    row++;
  }
  builder.allowEditing({ startRow: firstDataRow, endRow: row, startCol: FIRST_DATA_COL, endCol: lastCol + 1 });
  // A total only where the round has several periods: under a single period it would repeat the row above.
  if (round.periods.length > 1) {
    builder.set(row, CODE_COL, TOTAL_ROW_CODE, STYLES.hidden);
    builder.set(row, LABEL_COL, 'Tổng cộng (hệ thống tự tính)', { ...STYLES.computed });
    inds.forEach((ind, j) =>
      builder.set(row, FIRST_DATA_COL + j, null, { ...STYLES.computed, numberFormat: numberFormat(ind.type) }),
    );
    builder.row(row, { height: 26 });
    row++;
  }
  builder.set(row, CODE_COL, END_MARKER, STYLES.hidden);
  row++;
  const notesFrom = bannerStart(LABEL_COL, FIGURES_FROZEN_COLS);
  // Layout notes follow the footnotes: where the campaign file says its layout is reconstructed, the template says so too.
  for (const note of [...table.footnotes, ...table.layoutNotes]) {
    builder.set(row, notesFrom, note, STYLES.note).merge(row, notesFrom, row + 1, lastCol + 1);
    row++;
  }
  builder.column(CODE_COL, { width: 60, hidden: true }).column(LABEL_COL, { width: FIGURES_LABEL_WIDTH });
  return builder.build({
    frozenRows: codeRow + 1,
    frozenCols: FIGURES_FROZEN_COLS,
    tabColor: PALETTE.tab.figures,
    protection: `${table.label}: ${PROTECTION_NOTE}`,
    editors: ctx.editors,
  });
}

function checklistSheet(ctx: Context, table: ChecklistTable): SheetModel {
  const builder = new SheetBuilder(table.sheetTitle, table.id);
  const [itemCol, textCol, contentCol, refCol] = [LABEL_COL, LABEL_COL + 1, LABEL_COL + 2, LABEL_COL + 3];
  const top = headerBlock(builder, ctx, refCol, table.caption, table.subtitle, { frozenCols: 0, labelWidth: 70 });
  builder
    .set(top, LABEL_COL, table.instructions, STYLES.note)
    .merge(top, LABEL_COL, top + 1, refCol + 1)
    .row(top, { height: 48 });
  const headerRow = top + 1;
  ['Mục', 'Nội dung yêu cầu', table.columns.content, table.columns.reference].forEach((h, i) =>
    builder.set(headerRow, LABEL_COL + i, h, STYLES.header),
  );
  builder.row(headerRow, { height: 36 });
  const codeRow = headerRow + 1;
  builder
    .set(codeRow, CODE_COL, tableAnchor(table.id), STYLES.hidden)
    .set(codeRow, itemCol, LABEL_COLUMN_CODE, STYLES.hidden)
    .set(codeRow, textCol, LABEL_COLUMN_CODE, STYLES.hidden)
    .set(codeRow, contentCol, 'noi_dung', STYLES.hidden)
    .set(codeRow, refCol, 'tham_chieu', STYLES.hidden);
  builder.row(codeRow, { hidden: true });
  let row = codeRow + 1;
  for (const section of table.sections) {
    builder.set(row, CODE_COL, SECTION_MARKER, STYLES.hidden);
    builder.set(row, itemCol, section.code, { ...STYLES.label, bold: true, fill: PALETTE.section });
    builder
      .set(row, textCol, section.title, { ...STYLES.label, bold: true, fill: PALETTE.section })
      .merge(row, textCol, row + 1, refCol + 1);
    builder.style(
      { startRow: row, endRow: row + 1, startCol: textCol, endCol: refCol + 1 },
      { fill: PALETTE.section, border: true },
    );
    row++;
    for (const item of section.items) {
      builder.set(row, CODE_COL, item.code, STYLES.hidden);
      builder.set(row, itemCol, item.code, { ...STYLES.label, hAlign: 'center' });
      builder.set(row, textCol, item.text, { ...STYLES.label, vAlign: 'top' });
      builder.set(row, contentCol, null, { ...STYLES.input, wrap: true, vAlign: 'top' });
      builder.set(row, refCol, null, { ...STYLES.input, hAlign: 'center' });
      builder.allowEditing({ startRow: row, endRow: row + 1, startCol: contentCol, endCol: refCol + 1 });
      builder.fitText(row, item.text, CHECKLIST_TEXT_WIDTH, 64);
      row++;
    }
  }
  builder.set(row, CODE_COL, END_MARKER, STYLES.hidden);
  builder
    .column(CODE_COL, { width: 60, hidden: true })
    .column(itemCol, { width: 70 })
    .column(textCol, { width: CHECKLIST_TEXT_WIDTH })
    .column(contentCol, { width: 380 })
    .column(refCol, { width: 130 });
  return builder.build({
    frozenRows: codeRow + 1,
    tabColor: PALETTE.tab.text,
    protection: `${table.label}: ${PROTECTION_NOTE}`,
    editors: ctx.editors,
  });
}

function fieldValidation(ctx: Context, field: ListField): DataValidation | undefined {
  switch (field.type) {
    case 'integer':
      return numberValidation('integer');
    case 'checkbox':
      return { kind: 'checkbox' };
    case 'choice':
      return {
        kind: 'list',
        values: ctx.model.options(field.options).map((o) => o.label),
        strict: false,
        message: 'Chọn trong danh sách thả xuống',
      };
    case 'date':
      return { kind: 'date', strict: false, message: 'Nhập ngày dạng ngày/tháng/năm, ví dụ 19/08/2020' };
    case 'text':
      return undefined;
  }
}

function listSheet(ctx: Context, table: ListTable): SheetModel {
  const builder = new SheetBuilder(table.sheetTitle, table.id);
  const fields = table.fields;
  const lastFieldCol = FIRST_DATA_COL + fields.length - 1;
  // A nominations list ends with the column the system writes each nominee's verdict into.
  const verdictCol = table.verdictColumn ? lastFieldCol + 1 : null;
  const lastCol = verdictCol ?? lastFieldCol;
  // No frozen columns: the frozen one would be the narrow STT column, and the banner, the
  // instructions and the form block merge from column B across the table (see layout/frozen.ts).
  let currentRow = headerBlock(builder, ctx, lastCol, table.caption, table.subtitle, { frozenCols: 0, labelWidth: 46 });
  builder
    .set(currentRow, LABEL_COL, table.instructions, STYLES.note)
    .merge(currentRow, LABEL_COL, currentRow + 1, lastCol + 1)
    .row(currentRow, { height: 48 });
  currentRow += 2;

  if (table.formBlock) {
    builder.set(currentRow, LABEL_COL, table.formBlock.caption, { bold: true, fontColor: PALETTE.title });
    currentRow++;
    builder
      .set(currentRow, CODE_COL, formBlockAnchor(table.id), STYLES.hidden)
      .set(currentRow, FIRST_DATA_COL + 3, FORM_VALUE_CODE, STYLES.hidden);
    builder.row(currentRow, { hidden: true });
    currentRow++;
    for (const field of table.formBlock.fields) {
      builder.set(currentRow, CODE_COL, field.code, STYLES.hidden);
      builder
        .set(currentRow, LABEL_COL, field.label, STYLES.label)
        .merge(currentRow, LABEL_COL, currentRow + 1, FIRST_DATA_COL + 3);
      builder.style(
        { startRow: currentRow, endRow: currentRow + 1, startCol: LABEL_COL, endCol: FIRST_DATA_COL + 3 },
        STYLES.label,
      );
      builder.set(
        currentRow,
        FIRST_DATA_COL + 3,
        false,
        { ...STYLES.input, hAlign: 'center' },
        { validation: { kind: 'checkbox' } },
      );
      builder.allowEditing({
        startRow: currentRow,
        endRow: currentRow + 1,
        startCol: FIRST_DATA_COL + 3,
        endCol: FIRST_DATA_COL + 4,
      });
      currentRow++;
    }
    currentRow++;
  }

  const depth = Math.max(...fields.map((f) => f.header.length));
  const top = currentRow;
  builder.set(top, LABEL_COL, 'STT', STYLES.header).merge(top, LABEL_COL, top + depth, LABEL_COL + 1);
  builder.style({ startRow: top, endRow: top + depth, startCol: LABEL_COL, endCol: LABEL_COL + 1 }, STYLES.header);
  let runStart = 0;
  for (let j = 1; j <= fields.length; j++) {
    const firstField = fields[runStart]!;
    const same =
      j < fields.length &&
      firstField.header.length > 1 &&
      fields[j]!.header.length > 1 &&
      fields[j]!.header[0] === firstField.header[0];
    if (same) continue;
    const col = FIRST_DATA_COL + runStart;
    if (firstField.header.length === 1 && depth > 1) {
      builder.set(top, col, firstField.header[0]!, STYLES.header).merge(top, col, top + depth, col + 1);
      builder.style({ startRow: top, endRow: top + depth, startCol: col, endCol: col + 1 }, STYLES.header);
    } else {
      builder.set(top, col, firstField.header[0]!, STYLES.header).merge(top, col, top + 1, FIRST_DATA_COL + j);
      builder.style({ startRow: top, endRow: top + 1, startCol: col, endCol: FIRST_DATA_COL + j }, STYLES.header);
      for (let k = runStart; k < j; k++)
        if (fields[k]!.header[1]) builder.set(top + 1, FIRST_DATA_COL + k, fields[k]!.header[1]!, STYLES.header);
    }
    runStart = j;
  }
  if (verdictCol !== null) {
    builder
      .set(top, verdictCol, table.verdictColumn!.header, STYLES.header)
      .merge(top, verdictCol, top + depth, verdictCol + 1);
    builder.style({ startRow: top, endRow: top + depth, startCol: verdictCol, endCol: verdictCol + 1 }, STYLES.header);
  }
  for (let level = 0; level < depth; level++) builder.row(top + level, { height: level === depth - 1 ? 48 : 30 });
  const codeRow = top + depth;
  builder
    .set(codeRow, CODE_COL, tableAnchor(table.id), STYLES.hidden)
    .set(codeRow, LABEL_COL, LABEL_COLUMN_CODE, STYLES.hidden);
  fields.forEach((field, fieldIndex) => {
    builder.set(codeRow, FIRST_DATA_COL + fieldIndex, field.code, STYLES.hidden);
    builder.column(FIRST_DATA_COL + fieldIndex, { width: field.width ?? 120 });
  });
  if (verdictCol !== null) {
    builder.set(codeRow, verdictCol, VERDICT_COLUMN_CODE, STYLES.hidden);
    builder.column(verdictCol, { width: table.verdictColumn!.width ?? 140 });
  }
  builder.row(codeRow, { hidden: true });
  const first = codeRow + 1;
  for (let i = 0; i < table.rows; i++) {
    const row = first + i;
    builder.set(row, LABEL_COL, i + 1, { ...STYLES.computed, bold: false, hAlign: 'center' });
    fields.forEach((field, fieldIndex) => {
      const validation = fieldValidation(ctx, field);
      const style = {
        ...STYLES.input,
        wrap: field.type === 'text',
        ...(field.type === 'checkbox' ? { hAlign: 'center' as const } : {}),
        ...(field.type === 'integer' ? { numberFormat: '#,##0' } : {}),
        ...(field.type === 'date' ? { numberFormat: 'dd/mm/yyyy', hAlign: 'center' as const } : {}),
      };
      builder.set(
        row,
        FIRST_DATA_COL + fieldIndex,
        field.type === 'checkbox' ? false : null,
        style,
        validation ? { validation } : undefined,
      );
    });
    if (verdictCol !== null) builder.set(row, verdictCol, null, { ...STYLES.computed, bold: false, wrap: true });
    builder.row(row, { height: 40 });
  }
  builder.allowEditing({
    startRow: first,
    endRow: first + table.rows,
    startCol: FIRST_DATA_COL,
    endCol: lastFieldCol + 1,
  });
  builder.set(first + table.rows, CODE_COL, END_MARKER, STYLES.hidden);
  builder.column(CODE_COL, { width: 60, hidden: true }).column(LABEL_COL, { width: 46 });
  return builder.build({
    frozenRows: codeRow + 1,
    tabColor: PALETTE.tab.text,
    protection: `${table.label}: ${PROTECTION_NOTE}`,
    editors: ctx.editors,
  });
}

function confirmationSheet(ctx: Context): SheetModel {
  const conf = ctx.model.campaign.confirmation;
  const builder = new SheetBuilder(conf.sheetTitle, 'xac_nhan');
  const valueCol = LABEL_COL + 1;
  const unit = ctx.model.unit(ctx.unitId);
  builder.set(0, LABEL_COL, `ĐƠN VỊ: ${unit.name}`, { bold: true, fontColor: PALETTE.title });
  statusRow(builder, 1, valueCol);
  builder
    .set(2, LABEL_COL, conf.caption, STYLES.title)
    .merge(2, LABEL_COL, 3, valueCol + 1)
    .row(2, { height: 28 });
  builder
    .set(3, LABEL_COL, conf.instructions, STYLES.note)
    .merge(3, LABEL_COL, 4, valueCol + 1)
    .row(3, { height: 48 });
  const anchorRow = 5;
  builder
    .set(anchorRow, CODE_COL, confirmationAnchor, STYLES.hidden)
    .set(anchorRow, valueCol, FORM_VALUE_CODE, STYLES.hidden);
  builder.row(anchorRow, { hidden: true });
  let row = anchorRow + 1;
  const onlyNominates = nominatesOnly(ctx.model, ctx.unitId, ctx.roundId);
  for (const field of conf.fields) {
    builder.set(row, CODE_COL, field.code, STYLES.hidden);
    builder.set(row, LABEL_COL, confirmationWording(field, onlyNominates).label + (field.required ? ' *' : ''), {
      ...STYLES.label,
      bold: field.type === 'submit-checkbox',
    });
    if (field.type === 'submit-checkbox') {
      builder.set(row, valueCol, false, { ...STYLES.input, hAlign: 'left' }, { validation: { kind: 'checkbox' } });
    } else {
      builder.set(row, valueCol, null, { ...STYLES.input, ...(field.type === 'phone' ? { numberFormat: '@' } : {}) });
    }
    builder.allowEditing({ startRow: row, endRow: row + 1, startCol: valueCol, endCol: valueCol + 1 });
    builder.row(row, { height: 30 });
    row++;
  }
  builder.set(row + 1, LABEL_COL, '* Bắt buộc khi gửi báo cáo.', STYLES.note);
  builder
    .column(CODE_COL, { width: 60, hidden: true })
    .column(LABEL_COL, { width: 330 })
    .column(valueCol, { width: 420 });
  return builder.build({
    tabColor: PALETTE.tab.confirm,
    protection: `${conf.sheetTitle}: ${PROTECTION_NOTE}`,
    editors: ctx.editors,
  });
}

function instructionsSheet(ctx: Context, tables: { table: Table; requirement: TableRequirement }[]): SheetModel {
  const { model } = ctx;
  const ins = model.campaign.instructions;
  const builder = new SheetBuilder(ins.sheetTitle, 'huong_dan');
  const textCol = LABEL_COL + 1;
  const unit = model.unit(ctx.unitId);
  const round = model.round(ctx.roundId);
  builder
    .set(0, LABEL_COL, ins.caption, { ...STYLES.title, hAlign: 'left' })
    .merge(0, LABEL_COL, 1, textCol + 1)
    .row(0, { height: 30 });
  statusRow(builder, 1, textCol);
  const info: [string, string][] = [
    ['Kế hoạch', `${model.campaign.title} (${model.campaign.source})`],
    ['Đơn vị', unit.name],
    ['Đợt báo cáo', `${round.name}: ${round.description}`],
    [
      'Hạn gửi',
      `Trước ngày ${formatCivilDate(round.dueDate)} (gửi muộn nhất ${formatCivilDate(model.lastOnTimeDate(ctx.roundId))} lúc 23:59)`,
    ],
    [
      'Khóa sổ',
      `${formatViDateTime(model.lockAt(ctx.roundId), model.timeZone)}: sau thời điểm này thay đổi không còn được tiếp nhận`,
    ],
    ['Đầu mối', `${model.campaign.coordinator.name}: ${model.campaign.coordinator.emails.join(', ')}`],
  ];
  let row = 3;
  for (const [key, value] of info) {
    builder
      .set(row, LABEL_COL, key, { bold: true, vAlign: 'top' })
      .set(row, textCol, value, { wrap: true, vAlign: 'top' })
      .fitText(row, value, INSTRUCTIONS_TEXT_WIDTH);
    row++;
  }
  row++;
  builder.set(row++, LABEL_COL, 'Cách nhập', { bold: true, fontColor: PALETTE.title });
  ins.lines.forEach((line, lineIndex) => {
    builder
      .set(row, LABEL_COL, `${lineIndex + 1}.`, { hAlign: 'right', vAlign: 'top' })
      .set(row, textCol, line, { wrap: true, vAlign: 'top' })
      .fitText(row, line, INSTRUCTIONS_TEXT_WIDTH);
    row++;
  });
  row++;
  builder.set(row++, LABEL_COL, 'Các trang cần nhập', { bold: true, fontColor: PALETTE.title });
  for (const { table, requirement } of tables) {
    builder
      .set(row, LABEL_COL, table.sheetTitle, { bold: true })
      .set(
        row,
        textCol,
        `${table.label}${requirement === 'optional' ? ' (không bắt buộc; nếu nhập thì nhập đủ)' : ''}`,
      );
    row++;
  }
  const conf = model.campaign.confirmation;
  const box = conf.fields.filter((f) => f.type === 'submit-checkbox').map((f) => `ô "${f.label}"`);
  const onlyNominates = nominatesOnly(model, ctx.unitId, ctx.roundId);
  const confirmationText = [
    ...conf.fields.filter((f) => f.type !== 'submit-checkbox').map((f) => confirmationWording(f, onlyNominates).label),
    ...box,
  ].join('; ');
  builder.set(row, LABEL_COL, conf.sheetTitle, { bold: true }).set(row, textCol, confirmationText);
  row += 2;
  builder
    .set(row, CODE_COL, IDENTITY_MARKER, STYLES.hidden)
    .set(row, LABEL_COL, ctx.unitId, STYLES.hidden)
    .set(row, LABEL_COL + 1, ctx.roundId, STYLES.hidden)
    .set(row, LABEL_COL + 2, model.campaign.id, STYLES.hidden)
    .set(row, LABEL_COL + 3, model.campaign.version, STYLES.hidden);
  builder.row(row, { hidden: true });
  builder
    .column(CODE_COL, { width: 60, hidden: true })
    .column(LABEL_COL, { width: 150 })
    .column(textCol, { width: INSTRUCTIONS_TEXT_WIDTH });
  return builder.build({
    tabColor: PALETTE.tab.instructions,
    protection: `${ins.sheetTitle}: ${PROTECTION_NOTE}`,
    editors: ctx.editors,
  });
}

export class NoWorkbookError extends Error {
  constructor(
    readonly unitId: string,
    readonly roundId: string,
  ) {
    super(`Đơn vị "${unitId}" không có biểu mẫu nào trong đợt "${roundId}".`);
    this.name = 'NoWorkbookError';
  }
}

export function unitWorkbookTitle(model: CampaignModel, unitId: string, roundId: string): string {
  return `${model.campaign.shortTitle} – ${model.round(roundId).name} – ${model.unit(unitId).name}`;
}

/** `editors`: accounts besides the owner allowed to edit protected cells (none for unit staff). */
export function buildUnitWorkbook(
  model: CampaignModel,
  unitId: string,
  roundId: string,
  opts: { editors?: string[] } = {},
): WorkbookModel {
  const tables = model.tablesFor(unitId, roundId);
  if (tables.length === 0) throw new NoWorkbookError(unitId, roundId);
  const ctx: Context = { model, unitId, roundId, editors: opts.editors ?? [] };
  const sheets: SheetModel[] = [instructionsSheet(ctx, tables)];
  for (const { table, requirement } of tables) {
    if (table.kind === 'figures') sheets.push(figuresSheet(ctx, table, requirement));
    else if (table.kind === 'checklist') sheets.push(checklistSheet(ctx, table));
    else sheets.push(listSheet(ctx, table));
  }
  sheets.push(confirmationSheet(ctx));
  return {
    title: unitWorkbookTitle(model, unitId, roundId),
    locale: model.campaign.locale,
    timeZone: model.timeZone,
    sheets,
  };
}
