/** A small mutable helper for assembling a SheetModel cell by cell. */
import {
  printSetupFromPanes,
  type CellModel,
  type CellStyle,
  type DataValidation,
  type RangeModel,
  type SheetModel,
} from './model.js';
import { mergesCrossingFrozenLines } from './frozen.js';

export const PALETTE = {
  header: '#D9E2F3',
  title: '#1F3864',
  status: '#FFF2CC',
  computed: '#EFEFEF',
  input: '#FFFFFF',
  section: '#E2EFDA',
  muted: '#595959',
  error: '#F4CCCC',
  warning: '#FCE5CD',
  ok: '#D9EAD3',
  tab: { instructions: '#1F3864', figures: '#2E75B6', text: '#548235', confirm: '#C00000' },
} as const;

export const STYLES = {
  title: {
    bold: true,
    fontSize: 14,
    hAlign: 'center',
    vAlign: 'middle',
    fontColor: PALETTE.title,
    wrap: true,
  } satisfies CellStyle,
  subtitle: { bold: true, hAlign: 'center', vAlign: 'middle', wrap: true } satisfies CellStyle,
  note: { italic: true, fontColor: PALETTE.muted, wrap: true, vAlign: 'top' } satisfies CellStyle,
  header: {
    bold: true,
    fill: PALETTE.header,
    hAlign: 'center',
    vAlign: 'middle',
    wrap: true,
    border: true,
  } satisfies CellStyle,
  label: { vAlign: 'middle', wrap: true, border: true } satisfies CellStyle,
  input: { fill: PALETTE.input, border: true, vAlign: 'middle' } satisfies CellStyle,
  computed: { fill: PALETTE.computed, bold: true, border: true, vAlign: 'middle' } satisfies CellStyle,
  status: { bold: true, fill: PALETTE.status, vAlign: 'middle', wrap: true, border: true } satisfies CellStyle,
  hidden: { fontColor: '#999999', fontSize: 8 } satisfies CellStyle,
};

export class SheetBuilder {
  private readonly cells = new Map<string, CellModel>();
  private readonly merges: RangeModel[] = [];
  private readonly columns = new Map<number, { index: number; width?: number; hidden?: boolean }>();
  private readonly rows = new Map<number, { index: number; height?: number; hidden?: boolean }>();
  private maxRow = 0;
  private maxCol = 0;
  readonly unprotected: RangeModel[] = [];
  private readonly peopleOwned: { col: number; fromRow: number }[] = [];

  constructor(
    readonly title: string,
    readonly key: string,
  ) {}

  set(
    row: number,
    col: number,
    value: CellModel['value'],
    style?: CellStyle,
    extra?: { note?: string; validation?: DataValidation; formula?: string },
  ): this {
    const key = `${row}:${col}`;
    const prev = this.cells.get(key);
    const cell: CellModel = {
      row,
      col,
      value,
      ...(style || prev?.style ? { style: { ...prev?.style, ...style } } : {}),
    };
    if (extra?.formula) cell.formula = extra.formula;
    if (extra?.note) cell.note = extra.note;
    if (extra?.validation) cell.validation = extra.validation;
    this.cells.set(key, cell);
    this.maxRow = Math.max(this.maxRow, row);
    this.maxCol = Math.max(this.maxCol, col);
    return this;
  }

  /** Styles every cell of a range (creating blank cells), e.g. borders on a merged header. */
  style(range: RangeModel, style: CellStyle): this {
    for (let row = range.startRow; row < range.endRow; row++) {
      for (let col = range.startCol; col < range.endCol; col++) {
        const prev = this.cells.get(`${row}:${col}`);
        this.set(
          row,
          col,
          prev?.value ?? null,
          style,
          prev && {
            ...(prev.note ? { note: prev.note } : {}),
            ...(prev.validation ? { validation: prev.validation } : {}),
          },
        );
      }
    }
    return this;
  }

  merge(startRow: number, startCol: number, endRow: number, endCol: number): this {
    if (endRow - startRow > 1 || endCol - startCol > 1) this.merges.push({ startRow, endRow, startCol, endCol });
    this.maxRow = Math.max(this.maxRow, endRow - 1);
    this.maxCol = Math.max(this.maxCol, endCol - 1);
    return this;
  }

  column(index: number, props: { width?: number; hidden?: boolean }): this {
    this.columns.set(index, { index, ...this.columns.get(index), ...props });
    return this;
  }

  row(index: number, props: { height?: number; hidden?: boolean }): this {
    this.rows.set(index, { index, ...this.rows.get(index), ...props });
    return this;
  }

  /** The values of column `col` from `fromRow` down are people's (see SheetModel.peopleOwned). */
  ownedByPeople(col: number, fromRow: number): this {
    this.peopleOwned.push({ col, fromRow });
    return this;
  }

  allowEditing(range: RangeModel): this {
    this.unprotected.push(range);
    return this;
  }

  /**
   * Sets a row tall enough for `text` wrapped in `widthPx`: spreadsheet programs do not grow
   * rows that have wrapped text written by a program, so long Vietnamese lines would overlap.
   */
  fitText(row: number, text: string, widthPx: number, minHeight = 21): this {
    const charsPerLine = Math.max(8, Math.floor((widthPx - 8) / 7));
    const lines = text.split('\n').reduce((n, part) => n + Math.max(1, Math.ceil(part.length / charsPerLine)), 0);
    const height = Math.max(minHeight, lines * 17 + 6);
    const prev = this.rows.get(row)?.height ?? 0;
    return this.row(row, { height: Math.max(prev, height) });
  }

  build(opts: {
    frozenRows?: number;
    frozenCols?: number;
    tabColor?: string;
    protection: string;
    editors?: string[];
    landscape?: boolean;
  }): SheetModel {
    const sheet: SheetModel = {
      title: this.title,
      key: this.key,
      rowCount: Math.max(this.maxRow + 1 + 10, 30),
      colCount: Math.max(this.maxCol + 1 + 2, 8),
      ...(opts.frozenRows ? { frozenRows: opts.frozenRows } : {}),
      ...(opts.frozenCols ? { frozenCols: opts.frozenCols } : {}),
      ...(opts.tabColor ? { tabColor: opts.tabColor } : {}),
      columns: [...this.columns.values()].sort((a, b) => a.index - b.index),
      rows: [...this.rows.values()].sort((a, b) => a.index - b.index),
      cells: [...this.cells.values()].sort((a, b) => a.row - b.row || a.col - b.col),
      merges: this.merges,
      protection: {
        description: opts.protection,
        unprotected: this.unprotected,
        ...(opts.editors?.length ? { editors: opts.editors } : {}),
      },
      ...(this.peopleOwned.length ? { peopleOwned: this.peopleOwned } : {}),
      print: printSetupFromPanes(opts.frozenRows, opts.frozenCols, opts.landscape ?? true),
    };
    // Google refuses the whole batchUpdate (or create) holding such a merge: fail here, where the layout is written.
    const crossing = mergesCrossingFrozenLines(sheet);
    if (crossing.length > 0)
      throw new Error(`Tab "${this.title}": merges cross the frozen rows/columns: ${JSON.stringify(crossing)}`);
    return sheet;
  }
}
