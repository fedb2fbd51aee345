/**
 * The workbook model as one Google Sheets `spreadsheets.create` body: values, formats,
 * notes, validations, sizes, merges and protection travel in a single call, so a unit's
 * spreadsheet never exists half-built.
 */
import type { sheets_v4 } from '@googleapis/sheets';
import type { CellModel, CellStyle, DataValidation, RangeModel, Rgb, SheetModel, WorkbookModel } from './model.js';

export interface CreateBodyOptions {
  /** sheetId of the first tab; tab i gets firstSheetId + i. */
  firstSheetId?: number;
}

/**
 * Not 0: the API leaves zero-valued fields out of its responses (a GridRange on sheet 0 comes
 * back without `sheetId`), and callers testing `if (sheetId)` would treat the first tab as missing.
 */
export const DEFAULT_FIRST_SHEET_ID = 1;

export function toSpreadsheetCreateBody(
  model: WorkbookModel,
  opts: CreateBodyOptions = {},
): sheets_v4.Schema$Spreadsheet {
  const firstSheetId = opts.firstSheetId ?? DEFAULT_FIRST_SHEET_ID;
  return {
    properties: { title: model.title, locale: model.locale, timeZone: model.timeZone },
    sheets: model.sheets.map((sheet, index) => toSheet(sheet, index, firstSheetId + index)),
  };
}

function toSheet(sheet: SheetModel, index: number, sheetId: number): sheets_v4.Schema$Sheet {
  const gridProperties: sheets_v4.Schema$GridProperties = {
    rowCount: requiredRowCount(sheet),
    columnCount: requiredColumnCount(sheet),
  };
  if (sheet.frozenRows) gridProperties.frozenRowCount = sheet.frozenRows;
  if (sheet.frozenCols) gridProperties.frozenColumnCount = sheet.frozenCols;

  const properties: sheets_v4.Schema$SheetProperties = { sheetId, title: sheet.title, index, gridProperties };
  if (sheet.tabColor) properties.tabColor = rgbToColor(sheet.tabColor);
  if (sheet.hidden) properties.hidden = true;

  const result: sheets_v4.Schema$Sheet = {
    properties,
    data: [
      {
        startRow: 0,
        startColumn: 0,
        rowData: toRowData(sheet.cells),
        rowMetadata: toDimensionMetadata(
          sheet.rows.map((r) => ({ index: r.index, pixelSize: r.height, hidden: r.hidden })),
        ),
        columnMetadata: toDimensionMetadata(
          sheet.columns.map((c) => ({ index: c.index, pixelSize: c.width, hidden: c.hidden })),
        ),
      },
    ],
  };
  if (sheet.merges.length > 0) result.merges = sheet.merges.map((range) => toGridRange(range, sheetId));
  if (sheet.protection) {
    result.protectedRanges = [
      {
        range: { sheetId },
        description: sheet.protection.description,
        warningOnly: false,
        unprotectedRanges: sheet.protection.unprotected.map((range) => toGridRange(range, sheetId)),
        editors: { users: sheet.protection.editors ?? [] },
      },
    ];
  }
  return result;
}

/** The API rejects cells, merges or sizes outside the grid, so the grid grows to hold them. */
function requiredRowCount(sheet: SheetModel): number {
  // Loops rather than Math.max(...spread): a large sheet's cells would overflow the call stack.
  let count = Math.max(sheet.rowCount, (sheet.frozenRows ?? 0) + 1);
  for (const cell of sheet.cells) count = Math.max(count, cell.row + 1);
  for (const merge of sheet.merges) count = Math.max(count, merge.endRow);
  for (const row of sheet.rows) count = Math.max(count, row.index + 1);
  return count;
}

function requiredColumnCount(sheet: SheetModel): number {
  let count = Math.max(sheet.colCount, (sheet.frozenCols ?? 0) + 1);
  for (const cell of sheet.cells) count = Math.max(count, cell.col + 1);
  for (const merge of sheet.merges) count = Math.max(count, merge.endCol);
  for (const column of sheet.columns) count = Math.max(count, column.index + 1);
  return count;
}

function toRowData(cells: CellModel[]): sheets_v4.Schema$RowData[] {
  const rows: sheets_v4.Schema$CellData[][] = [];
  for (const cell of cells) {
    const row = (rows[cell.row] ??= []);
    row[cell.col] = toCellData(cell);
  }
  // The API reads rowData and values positionally, so gaps must be explicit empty entries.
  return Array.from(rows, (row) => ({ values: Array.from(row ?? [], (value) => value ?? {}) }));
}

function toCellData(cell: CellModel): sheets_v4.Schema$CellData {
  const data: sheets_v4.Schema$CellData = {};
  const value = toExtendedValue(cell);
  if (value) data.userEnteredValue = value;
  if (cell.style) data.userEnteredFormat = toCellFormat(cell.style);
  if (cell.note) data.note = cell.note;
  if (cell.validation) data.dataValidation = toValidationRule(cell.validation, a1Address(cell.row, cell.col));
  return data;
}

function toExtendedValue(cell: CellModel): sheets_v4.Schema$ExtendedValue | undefined {
  if (cell.formula !== undefined) {
    return { formulaValue: cell.formula.startsWith('=') ? cell.formula : `=${cell.formula}` };
  }
  const value = cell.value;
  if (value === null || value === undefined) return undefined;
  // stringValue is never parsed, so a string starting with '=' stays text.
  if (typeof value === 'string') return { stringValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return Number.isFinite(value) ? { numberValue: value } : undefined;
}

function toCellFormat(style: CellStyle): sheets_v4.Schema$CellFormat {
  const format: sheets_v4.Schema$CellFormat = {};
  if (style.fill) format.backgroundColor = rgbToColor(style.fill);
  const textFormat: sheets_v4.Schema$TextFormat = {};
  if (style.bold) textFormat.bold = true;
  if (style.italic) textFormat.italic = true;
  if (style.fontSize) textFormat.fontSize = style.fontSize;
  if (style.fontColor) textFormat.foregroundColor = rgbToColor(style.fontColor);
  if (Object.keys(textFormat).length > 0) format.textFormat = textFormat;
  if (style.hAlign) format.horizontalAlignment = style.hAlign.toUpperCase();
  if (style.vAlign) format.verticalAlignment = style.vAlign.toUpperCase();
  if (style.wrap) format.wrapStrategy = 'WRAP';
  if (style.border) {
    const side: sheets_v4.Schema$Border = { style: 'SOLID' };
    format.borders = { top: side, bottom: side, left: side, right: side };
  }
  if (style.numberFormat) format.numberFormat = toNumberFormat(style.numberFormat);
  return format;
}

/** Sheets needs the pattern's kind; dates must be typed DATE or they display as serial numbers. */
function toNumberFormat(pattern: string): sheets_v4.Schema$NumberFormat {
  if (pattern === '@') return { type: 'TEXT', pattern };
  const tokens = pattern.replace(/"[^"]*"|\\.|\[[^\]]*\]/g, '');
  const hasDate = /[dy]/i.test(tokens);
  const hasTime = /[hs]/i.test(tokens);
  if (hasDate) return { type: hasTime ? 'DATE_TIME' : 'DATE', pattern };
  if (hasTime) return { type: 'TIME', pattern };
  return { type: 'NUMBER', pattern };
}

/**
 * Sheets has no "whole number" condition, so integers (and numbers without a minimum) use a
 * custom formula on the cell's own address: a rule stored on one cell is relative to it.
 */
function toValidationRule(validation: DataValidation, address: string): sheets_v4.Schema$DataValidationRule {
  switch (validation.kind) {
    case 'number': {
      let condition: sheets_v4.Schema$BooleanCondition;
      if (!validation.integer && validation.min !== undefined) {
        condition = { type: 'NUMBER_GREATER_THAN_EQ', values: [{ userEnteredValue: String(validation.min) }] };
      } else {
        const tests = [`ISNUMBER(${address})`];
        if (validation.min !== undefined) tests.push(`${address}>=${validation.min}`);
        if (validation.integer) tests.push(`INT(${address})=${address}`);
        const formula = tests.length === 1 ? `=${tests[0]}` : `=AND(${tests.join(',')})`;
        condition = { type: 'CUSTOM_FORMULA', values: [{ userEnteredValue: formula }] };
      }
      return withMessage({ condition, strict: validation.strict }, validation.message);
    }
    case 'list':
      return withMessage(
        {
          condition: { type: 'ONE_OF_LIST', values: validation.values.map((value) => ({ userEnteredValue: value })) },
          strict: validation.strict,
          showCustomUi: true,
        },
        validation.message,
      );
    case 'checkbox':
      return { condition: { type: 'BOOLEAN' } };
    case 'date':
      return withMessage({ condition: { type: 'DATE_IS_VALID' }, strict: validation.strict }, validation.message);
  }
}

function withMessage(
  rule: sheets_v4.Schema$DataValidationRule,
  message: string | undefined,
): sheets_v4.Schema$DataValidationRule {
  return message ? { ...rule, inputMessage: message } : rule;
}

interface DimensionSpec {
  index: number;
  pixelSize: number | undefined;
  hidden: boolean | undefined;
}

function toDimensionMetadata(specs: DimensionSpec[]): sheets_v4.Schema$DimensionProperties[] {
  const metadata: sheets_v4.Schema$DimensionProperties[] = [];
  for (const spec of specs) {
    const properties: sheets_v4.Schema$DimensionProperties = {};
    if (spec.pixelSize !== undefined) properties.pixelSize = spec.pixelSize;
    if (spec.hidden) properties.hiddenByUser = true;
    metadata[spec.index] = properties;
  }
  return Array.from(metadata, (properties) => properties ?? {});
}

function toGridRange(range: RangeModel, sheetId: number): sheets_v4.Schema$GridRange {
  return {
    sheetId,
    startRowIndex: range.startRow,
    endRowIndex: range.endRow,
    startColumnIndex: range.startCol,
    endColumnIndex: range.endCol,
  };
}

/** 'C10' for row 9, column 2 (0-based). */
export function a1Address(row: number, col: number): string {
  let letters = '';
  for (let columnNumber = col + 1; columnNumber > 0; columnNumber = Math.floor((columnNumber - 1) / 26)) {
    letters = String.fromCharCode(65 + ((columnNumber - 1) % 26)) + letters;
  }
  return `${letters}${row + 1}`;
}

/** '#RRGGBB' (or '#RGB') → Sheets colour with components in 0..1. */
export function rgbToColor(hex: Rgb): sheets_v4.Schema$Color {
  let digits = hex.replace(/^#/, '');
  if (digits.length === 3) digits = [...digits].map((d) => d + d).join('');
  if (!/^[0-9a-fA-F]{6}$/.test(digits)) throw new Error(`Not an RGB colour: "${hex}"`);
  const component = (offset: number) => parseInt(digits.slice(offset, offset + 2), 16) / 255;
  return { red: component(0), green: component(2), blue: component(4) };
}

/**
 * The same workbook as requests for one `spreadsheets.batchUpdate` on a spreadsheet that
 * already exists (created through Drive with its appProperties, so a retried creation can be
 * found again instead of duplicated). `defaultSheetId` is the blank tab a new spreadsheet
 * starts with (gid 0), removed once the real tabs exist.
 */
export function toRenderRequests(
  model: WorkbookModel,
  opts: CreateBodyOptions & { defaultSheetId?: number | null } = {},
): sheets_v4.Schema$Request[] {
  const body = toSpreadsheetCreateBody(model, opts);
  const requests: sheets_v4.Schema$Request[] = [
    {
      updateSpreadsheetProperties: {
        properties: { title: model.title, locale: model.locale, timeZone: model.timeZone },
        fields: 'title,locale,timeZone',
      },
    },
  ];
  for (const sheet of body.sheets ?? []) requests.push({ addSheet: { properties: sheet.properties! } });
  if (opts.defaultSheetId !== null) requests.push({ deleteSheet: { sheetId: opts.defaultSheetId ?? 0 } });
  for (const sheet of body.sheets ?? []) {
    const sheetId = sheet.properties!.sheetId!;
    for (const data of sheet.data ?? []) {
      if (data.rowData?.length) {
        requests.push({
          updateCells: {
            start: { sheetId, rowIndex: data.startRow ?? 0, columnIndex: data.startColumn ?? 0 },
            rows: data.rowData,
            fields: 'userEnteredValue,userEnteredFormat,note,dataValidation',
          },
        });
      }
      const dims: ['ROWS' | 'COLUMNS', sheets_v4.Schema$DimensionProperties[] | undefined][] = [
        ['ROWS', data.rowMetadata],
        ['COLUMNS', data.columnMetadata],
      ];
      for (const [dimension, metadata] of dims) {
        metadata?.forEach((props, index) => {
          const fields = [props.pixelSize !== undefined ? 'pixelSize' : '', props.hiddenByUser ? 'hiddenByUser' : '']
            .filter(Boolean)
            .join(',');
          if (!fields) return;
          requests.push({
            updateDimensionProperties: {
              range: { sheetId, dimension, startIndex: index, endIndex: index + 1 },
              properties: props,
              fields,
            },
          });
        });
      }
    }
    for (const range of sheet.merges ?? []) requests.push({ mergeCells: { range, mergeType: 'MERGE_ALL' } });
    for (const protectedRange of sheet.protectedRanges ?? []) requests.push({ addProtectedRange: { protectedRange } });
  }
  return requests;
}

export interface ExistingSheet {
  sheetId: number;
  title: string;
  rowCount: number;
  columnCount: number;
  protectedRangeIds: number[];
}

/** The values a model leaves to people, by sheet title (see SheetModel.peopleOwned). */
function peopleOwnedOf(model: WorkbookModel): Map<string, { col: number; fromRow: number }[]> {
  return new Map(model.sheets.filter((s) => s.peopleOwned?.length).map((s) => [s.title, s.peopleOwned!]));
}

const ALL_CELL_FIELDS = 'userEnteredValue,userEnteredFormat,note,dataValidation';
/** Everything but the value: what a refresh may write into cells whose values are people's. */
const PRESENTATION_FIELDS = 'userEnteredFormat,note,dataValidation';

/**
 * updateCells requests writing `rows` (a full grid from A1) except the values of the people's
 * columns below their first row: those columns get their own request without the value in the
 * field mask, and the rest of their rows is written around them.
 */
function gridWriteRequests(
  sheetId: number,
  rows: sheets_v4.Schema$RowData[],
  columnCount: number,
  owned: { col: number; fromRow: number }[],
): sheets_v4.Schema$Request[] {
  if (owned.length === 0)
    return [{ updateCells: { start: { sheetId, rowIndex: 0, columnIndex: 0 }, rows, fields: ALL_CELL_FIELDS } }];
  const fromRow = Math.min(...owned.map((o) => o.fromRow));
  if (owned.some((o) => o.fromRow !== fromRow)) throw new Error('people-owned columns must start on the same row');
  const ownedCols = [...new Set(owned.map((o) => o.col))].sort((a, b) => a - b);
  const slice = (from: number, to: number, start: number) =>
    rows.slice(start).map((r) => ({ values: (r.values ?? []).slice(from, to) }));
  const requests: sheets_v4.Schema$Request[] = [];
  if (fromRow > 0)
    requests.push({
      updateCells: {
        start: { sheetId, rowIndex: 0, columnIndex: 0 },
        rows: rows.slice(0, fromRow),
        fields: ALL_CELL_FIELDS,
      },
    });
  if (fromRow >= rows.length) return requests;
  let from = 0;
  for (const col of [...ownedCols, columnCount]) {
    if (col > from)
      requests.push({
        updateCells: {
          start: { sheetId, rowIndex: fromRow, columnIndex: from },
          rows: slice(from, col, fromRow),
          fields: ALL_CELL_FIELDS,
        },
      });
    if (col < columnCount)
      requests.push({
        updateCells: {
          start: { sheetId, rowIndex: fromRow, columnIndex: col },
          rows: slice(col, col + 1, fromRow),
          fields: PRESENTATION_FIELDS,
        },
      });
    from = col + 1;
  }
  return requests;
}

/**
 * Requests replacing the whole content of existing tabs with `model` in one batchUpdate:
 * rows beyond the new content are blanked (not left stale), merges and protections are
 * rebuilt, and a missing tab is added. Strings are typed values: nothing becomes a formula.
 *
 * Order per tab, so that no request meets a state Google refuses (a merge across a frozen
 * line, or a freeze through a merge, fails the whole batch): unmerge everything first, then
 * set the grid and the freeze, write the cells, and merge last, against the new freeze.
 * Values in the model's people-owned columns are never written (SheetModel.peopleOwned).
 */
export function toReplaceContentRequests(
  model: WorkbookModel,
  existing: ExistingSheet[],
  opts: CreateBodyOptions = {},
): sheets_v4.Schema$Request[] {
  const body = toSpreadsheetCreateBody(model, opts);
  const byTitle = new Map(existing.map((s) => [s.title, s]));
  const owned = peopleOwnedOf(model);
  const requests: sheets_v4.Schema$Request[] = [];
  // A tab that went missing gets a fresh id that cannot collide with the tabs still there.
  let nextId = Math.max(0, ...existing.map((s) => s.sheetId)) + 1;
  body.sheets?.forEach((sheet) => {
    const props = sheet.properties!;
    const current = byTitle.get(props.title!);
    const sheetId = current?.sheetId ?? nextId++;
    const rowCount = Math.max(props.gridProperties!.rowCount!, current?.rowCount ?? 0);
    const columnCount = Math.max(props.gridProperties!.columnCount!, current?.columnCount ?? 0);
    // Written whole, so that a freeze the model does not ask for is removed (0), not kept.
    const gridProperties = {
      ...props.gridProperties,
      rowCount,
      columnCount,
      frozenRowCount: props.gridProperties!.frozenRowCount ?? 0,
      frozenColumnCount: props.gridProperties!.frozenColumnCount ?? 0,
    };
    if (!current) requests.push({ addSheet: { properties: { ...props, sheetId, gridProperties } } });
    else {
      requests.push({ unmergeCells: { range: { sheetId } } });
      requests.push({
        updateSheetProperties: {
          properties: { sheetId, gridProperties, ...(props.tabColor ? { tabColor: props.tabColor } : {}) },
          fields: 'gridProperties,tabColor',
        },
      });
      for (const id of current.protectedRangeIds) requests.push({ deleteProtectedRange: { protectedRangeId: id } });
    }
    const rowData = [...(sheet.data?.[0]?.rowData ?? [])];
    while (rowData.length < rowCount) rowData.push({});
    const blankRow = (sourceRow: sheets_v4.Schema$RowData) => {
      const values = [...(sourceRow.values ?? [])];
      while (values.length < columnCount) values.push({});
      return { values };
    };
    // A new tab has no people's values yet: it is written whole.
    requests.push(
      ...gridWriteRequests(sheetId, rowData.map(blankRow), columnCount, current ? (owned.get(props.title!) ?? []) : []),
    );
    const data = sheet.data?.[0];
    const dims: ['ROWS' | 'COLUMNS', sheets_v4.Schema$DimensionProperties[] | undefined][] = [
      ['ROWS', data?.rowMetadata],
      ['COLUMNS', data?.columnMetadata],
    ];
    for (const [dimension, metadata] of dims) {
      metadata?.forEach((dimensionProperties, index) => {
        if (dimensionProperties.pixelSize === undefined && !dimensionProperties.hiddenByUser) return;
        requests.push({
          updateDimensionProperties: {
            range: { sheetId, dimension, startIndex: index, endIndex: index + 1 },
            properties: {
              pixelSize: dimensionProperties.pixelSize ?? 21,
              hiddenByUser: Boolean(dimensionProperties.hiddenByUser),
            },
            fields: 'pixelSize,hiddenByUser',
          },
        });
      });
    }
    for (const range of sheet.merges ?? [])
      requests.push({ mergeCells: { range: { ...range, sheetId }, mergeType: 'MERGE_ALL' } });
    for (const protectedRange of sheet.protectedRanges ?? []) {
      requests.push({
        addProtectedRange: {
          protectedRange: {
            ...protectedRange,
            range: { ...protectedRange.range, sheetId },
            unprotectedRanges: (protectedRange.unprotectedRanges ?? []).map((u) => ({ ...u, sheetId })),
          },
        },
      });
    }
  });
  return requests;
}

/**
 * A tab's structure: everything a full replacement sets besides the cells (grid size, freeze,
 * tab colour, visibility, row and column sizes, merges, protection, the people's columns).
 * Two models whose tab has the same structure differ only in cells.
 */
function structureOf(sheet: SheetModel): string {
  let structure = structures.get(sheet);
  if (structure === undefined) {
    // Built without the cells (the grid keeps the size they need): a master holds tens of
    // thousands of cells, and their request data is not part of the structure.
    const bare = { ...sheet, cells: [], rowCount: requiredRowCount(sheet), colCount: requiredColumnCount(sheet) };
    const { data, ...rest } = toSheet(bare, 0, DEFAULT_FIRST_SHEET_ID);
    const { rowData: _cells, ...dims } = data?.[0] ?? {};
    structure = JSON.stringify([rest, dims, sheet.peopleOwned ?? null]);
    structures.set(sheet, structure);
  }
  return structure;
}

/** A tab's cells by row: each cell's model, and its CellData serialized for comparison. */
interface CellRows {
  keys: Map<number, string[]>;
  cells: Map<number, CellModel[]>;
}

/**
 * Computed once per model: the workbook a refresh writes is the one the next refresh compares
 * against, and serializing every cell of a large master twice per refresh is most of its cost.
 */
const cellRowsOfSheet = new WeakMap<SheetModel, CellRows>();
const structures = new WeakMap<SheetModel, string>();

/** Every cell of a tab, and its model serialized for comparison ('' where there is no cell). */
function cellRows(sheet: SheetModel): CellRows {
  let found = cellRowsOfSheet.get(sheet);
  if (!found) {
    found = { keys: new Map(), cells: new Map() };
    for (const cell of sheet.cells) {
      const keys = found.keys.get(cell.row) ?? [];
      const cells = found.cells.get(cell.row) ?? [];
      // The model, not its request data: equal models render equal cells, and serializing the
      // model skips building every cell's CellData (most of a large master's comparison time).
      keys[cell.col] = JSON.stringify([
        cell.value ?? null,
        cell.formula ?? null,
        cell.style ?? null,
        cell.note ?? null,
        cell.validation ?? null,
      ]);
      cells[cell.col] = cell;
      found.keys.set(cell.row, keys);
      found.cells.set(cell.row, cells);
    }
    cellRowsOfSheet.set(sheet, found);
  }
  return found;
}

function cellKeys(sheet: SheetModel): Map<number, string[]> {
  return cellRows(sheet).keys;
}

/** The presentation part of a cell's request data (what may be written into a people's cell). */
function presentationOf(cell: CellModel | undefined): string {
  if (!cell) return '';
  const { userEnteredValue: _value, ...rest } = toCellData(cell);
  return JSON.stringify(rest);
}

/** What toChangedContentRequests asks of Google, and how many cells it writes. */
export interface ChangedContent {
  requests: sheets_v4.Schema$Request[];
  cellsWritten: number;
}

/**
 * Requests for one batchUpdate turning a sheet that holds `previous` into `next`, writing only
 * what differs. A tab whose structure is unchanged gets updateCells for its changed cells only
 * (contiguous changed cells of a row in one request, and the same run on following rows
 * folded into it); a tab whose structure changed, or that is new or missing, is replaced whole
 * (toReplaceContentRequests on those tabs). The people's columns keep their rule: their values
 * are never written, only their presentation. Resending the same requests is harmless: they
 * set cells to fixed contents.
 */
export function toChangedContentRequests(
  previous: WorkbookModel,
  next: WorkbookModel,
  existing: ExistingSheet[],
): ChangedContent {
  const before = new Map(previous.sheets.map((s) => [s.title, s]));
  const onSheet = new Map(existing.map((s) => [s.title, s]));
  const replaced: SheetModel[] = [];
  const requests: sheets_v4.Schema$Request[] = [];
  let cellsWritten = 0;
  for (const sheet of next.sheets) {
    const old = before.get(sheet.title);
    const current = onSheet.get(sheet.title);
    if (!old || !current || structureOf(old) !== structureOf(sheet)) {
      replaced.push(sheet);
      continue;
    }
    const written = changedCellRequests(current.sheetId, old, sheet);
    requests.push(...written.requests);
    cellsWritten += written.cellsWritten;
  }
  if (replaced.length > 0) {
    const whole = toReplaceContentRequests({ ...next, sheets: replaced }, existing);
    requests.push(...whole);
    cellsWritten += cellsIn(whole);
  }
  return { requests, cellsWritten };
}

/** Cells the updateCells requests among `requests` write. */
export function cellsIn(requests: sheets_v4.Schema$Request[]): number {
  let count = 0;
  for (const request of requests) for (const row of request.updateCells?.rows ?? []) count += row.values?.length ?? 0;
  return count;
}

function changedCellRequests(sheetId: number, old: SheetModel, sheet: SheetModel): ChangedContent {
  const { keys: was, cells: oldCells } = cellRows(old);
  const { keys: now, cells } = cellRows(sheet);
  const owned = sheet.peopleOwned ?? [];
  const isOwned = (row: number, col: number) => owned.some((o) => o.col === col && row >= o.fromRow);
  // Only the cells written are converted to request data.
  const cellDataAt = (row: number, col: number): sheets_v4.Schema$CellData => {
    const cell = cells.get(row)?.[col];
    return cell ? toCellData(cell) : {};
  };
  const requests: sheets_v4.Schema$Request[] = [];
  let cellsWritten = 0;
  // The last request, to fold the same run on the next row into it.
  let last: {
    row: number;
    col: number;
    end: number;
    fields: string;
    request: sheets_v4.Schema$UpdateCellsRequest;
  } | null = null;
  const emit = (row: number, col: number, end: number, fields: string) => {
    const values = Array.from({ length: end - col }, (_, offset) => {
      const data = cellDataAt(row, col + offset);
      if (fields !== PRESENTATION_FIELDS) return data;
      const { userEnteredValue: _value, ...presentation } = data;
      return presentation;
    });
    cellsWritten += values.length;
    if (last && last.row === row - 1 && last.col === col && last.end === end && last.fields === fields) {
      last.request.rows!.push({ values });
      last.row = row;
      return;
    }
    const request: sheets_v4.Schema$UpdateCellsRequest = {
      start: { sheetId, rowIndex: row, columnIndex: col },
      rows: [{ values }],
      fields,
    };
    requests.push({ updateCells: request });
    last = { row, col, end, fields, request };
  };
  const rows = [...new Set([...was.keys(), ...now.keys()])].sort((a, b) => a - b);
  for (const row of rows) {
    const before = was.get(row) ?? [];
    const after = now.get(row) ?? [];
    const width = Math.max(before.length, after.length);
    let runStart = -1;
    for (let col = 0; col <= width; col++) {
      const inRange = col < width;
      const ownedCell = inRange && isOwned(row, col);
      const changed = inRange && !ownedCell && (before[col] ?? '') !== (after[col] ?? '');
      if (changed && runStart < 0) runStart = col;
      if (!changed && runStart >= 0) {
        emit(row, runStart, col, ALL_CELL_FIELDS);
        runStart = -1;
      }
      if (ownedCell && presentationOf(oldCells.get(row)?.[col]) !== presentationOf(cells.get(row)?.[col]))
        emit(row, col, col + 1, PRESENTATION_FIELDS);
    }
  }
  return { requests, cellsWritten };
}

/**
 * Where two workbooks differ, tab by tab and cell by cell (A1), at most `limit` places: a tab
 * only one has, or whose structure differs, is named without a cell.
 */
export function workbookDifferences(
  workbook: WorkbookModel,
  otherWorkbook: WorkbookModel,
  limit = 10,
): { tab: string; cell: string | null }[] {
  const found: { tab: string; cell: string | null }[] = [];
  const other = new Map(otherWorkbook.sheets.map((s) => [s.title, s]));
  const titles = [...new Set([...workbook.sheets.map((s) => s.title), ...otherWorkbook.sheets.map((s) => s.title)])];
  const mine = new Map(workbook.sheets.map((s) => [s.title, s]));
  for (const tab of titles) {
    if (found.length >= limit) break;
    const x = mine.get(tab);
    const y = other.get(tab);
    if (!x || !y || structureOf(x) !== structureOf(y)) {
      found.push({ tab, cell: null });
      continue;
    }
    const cellsX = cellKeys(x);
    const cellsY = cellKeys(y);
    const rows = [...new Set([...cellsX.keys(), ...cellsY.keys()])].sort((p, q) => p - q);
    for (const row of rows) {
      const rowX = cellsX.get(row) ?? [];
      const rowY = cellsY.get(row) ?? [];
      for (let col = 0; col < Math.max(rowX.length, rowY.length) && found.length < limit; col++) {
        if ((rowX[col] ?? '') !== (rowY[col] ?? '')) found.push({ tab, cell: a1Address(row, col) });
      }
    }
  }
  return found;
}

/**
 * Consecutive requests in batches of at most about `maxBytes` of JSON each, in order (each batch
 * is a valid continuation of the ones before it). An updateCells larger than that is cut into
 * requests of fewer rows. Google's front end refuses a request body over 10 MB and its guide
 * recommends 2 MB; a whole master is about 15 KB per unit and round.
 */
export function inBatches(requests: sheets_v4.Schema$Request[], maxBytes: number): sheets_v4.Schema$Request[][] {
  const sizeOf = (x: unknown) => utf8Length(JSON.stringify(x));
  const batches: sheets_v4.Schema$Request[][] = [];
  let current: sheets_v4.Schema$Request[] = [];
  let size = 0;
  const add = (request: sheets_v4.Schema$Request, bytes: number) => {
    if (current.length > 0 && size + bytes > maxBytes) {
      batches.push(current);
      current = [];
      size = 0;
    }
    current.push(request);
    size += bytes;
  };
  for (const request of requests) {
    const bytes = sizeOf(request);
    const cells = request.updateCells;
    if (bytes <= maxBytes || !cells?.rows || cells.rows.length < 2) {
      add(request, bytes);
      continue;
    }
    // Rows in chunks that each fit (measured row by row: rows differ in size).
    let chunk: sheets_v4.Schema$RowData[] = [];
    let chunkBytes = 0;
    let firstRow = cells.start?.rowIndex ?? 0;
    const flush = () => {
      if (chunk.length === 0) return;
      add({ updateCells: { ...cells, start: { ...cells.start, rowIndex: firstRow }, rows: chunk } }, chunkBytes + 200);
      firstRow += chunk.length;
      chunk = [];
      chunkBytes = 0;
    };
    for (const row of cells.rows) {
      const rowBytes = sizeOf(row) + 1;
      if (chunk.length > 0 && chunkBytes + rowBytes > maxBytes - 200) flush();
      chunk.push(row);
      chunkBytes += rowBytes;
    }
    flush();
  }
  if (current.length > 0) batches.push(current);
  return batches;
}

/** Bytes of a string in UTF-8 (Vietnamese letters take two or three): what a request body weighs. */
function utf8Length(text: string): number {
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code < 0x80) bytes += 1;
    else if (code < 0x800) bytes += 2;
    else if (code >= 0xd800 && code < 0xdc00) {
      bytes += 4; // a surrogate pair: one code point of four bytes
      i++;
    } else bytes += 3;
  }
  return bytes;
}
