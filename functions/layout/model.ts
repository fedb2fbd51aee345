/**
 * One workbook model, rendered to .xlsx (exceljs) and to Google Sheets (spreadsheets.create),
 * and produced back from the Sheets emulator for export. Plain data, no library types.
 *
 * Coordinates are 0-based; ranges are half-open like the Sheets API's GridRange
 * (endRow/endCol exclusive), so a model maps onto API requests without off-by-one shims.
 */
// A rectangle of cells is a core notion (grids and feedback speak of it); the layout reuses it.
import type { RangeModel } from '../core/grid.js';

export type { RangeModel };

/** '#RRGGBB' */
export type Rgb = string;

export interface CellStyle {
  bold?: boolean;
  italic?: boolean;
  fontSize?: number;
  fontColor?: Rgb;
  fill?: Rgb;
  hAlign?: 'left' | 'center' | 'right';
  vAlign?: 'top' | 'middle' | 'bottom';
  wrap?: boolean;
  /** thin border on all four sides */
  border?: boolean;
  /** Sheets/Excel number format pattern, e.g. '#,##0' or '@' for plain text */
  numberFormat?: string;
}

export type CellValue = string | number | boolean | null;

export type DataValidation =
  | { kind: 'number'; min?: number; integer?: boolean; strict: boolean; message?: string }
  | { kind: 'list'; values: string[]; strict: boolean; message?: string }
  | { kind: 'checkbox' }
  /** A real date (Sheets' DATE_IS_VALID; Excel's date type). */
  | { kind: 'date'; strict: boolean; message?: string };

export interface CellModel {
  row: number;
  col: number;
  /** Written as a typed value: a string stays a string, never parsed as a formula. */
  value?: CellValue;
  formula?: string;
  style?: CellStyle;
  note?: string;
  validation?: DataValidation;
}

export interface SheetProtection {
  description: string;
  /** Cells people may still edit; everything else on the sheet is protected. */
  unprotected: RangeModel[];
  /** Emails allowed to edit protected cells besides the owner (Sheets only). */
  editors?: string[];
}

export interface SheetModel {
  title: string;
  /** Stable key the application uses for the tab (e.g. 'bang1'); not shown to people. */
  key: string;
  rowCount: number;
  colCount: number;
  frozenRows?: number;
  frozenCols?: number;
  tabColor?: Rgb;
  hidden?: boolean;
  /** Column widths in pixels (Sheets unit; the xlsx renderer converts). */
  columns: { index: number; width?: number; hidden?: boolean }[];
  rows: { index: number; height?: number; hidden?: boolean }[];
  cells: CellModel[];
  merges: RangeModel[];
  protection?: SheetProtection;
  /**
   * Columns whose values belong to people from `fromRow` down (the coordinators' shortlist
   * ticks): rewriting an existing sheet writes their format and validation, never their values,
   * so an entry typed while the system rebuilds the tab is not overwritten. A new sheet is
   * written whole.
   */
  peopleOwned?: { col: number; fromRow: number }[];
  /** How the tab prints: clerks print Bảng 1/Bảng 2 to sign and stamp them. */
  print?: PrintSetup;
}

/**
 * Page setup of a tab. The .xlsx carries it (A4, margins, print titles, print area); the Sheets
 * API v4 has no page-setup fields, so a live Google sheet prints with the settings chosen in
 * its print dialog.
 */
export interface PrintSetup {
  landscape: boolean;
  /** Scale so the table fits the page width (any number of pages down). */
  fitToWidth: boolean;
  /** Rows printed at the top of every page, 0-based inclusive [first, last]: the table header. */
  repeatRows?: [number, number];
  /** Columns printed at the left of every page, 0-based inclusive [first, last]: the unit/label column. */
  repeatCols?: [number, number];
}

/** Print titles from the frozen panes: what stays on screen while scrolling is what each page repeats. */
export function printSetupFromPanes(
  frozenRows: number | undefined,
  frozenCols: number | undefined,
  landscape = true,
): PrintSetup {
  return {
    landscape,
    fitToWidth: true,
    ...(frozenRows ? { repeatRows: [0, frozenRows - 1] as [number, number] } : {}),
    ...(frozenCols ? { repeatCols: [0, frozenCols - 1] as [number, number] } : {}),
  };
}

export interface WorkbookModel {
  title: string;
  locale: string;
  timeZone: string;
  sheets: SheetModel[];
}
