/**
 * A1 notation as the Sheets API reads and writes it: `Sheet1!A1:B2`, `'Bảng 1'!A:A`, `'Bảng 1'!3:5`,
 * `A1:B2` (first visible sheet), a bare sheet name (whole sheet). Indexes are 0-based and half-open
 * like GridRange; an absent bound means "to the edge of the grid".
 */
import type { Rect } from './types.js';

export interface A1Bounds {
  startRow?: number;
  endRow?: number;
  startCol?: number;
  endCol?: number;
}

export interface A1Reference extends A1Bounds {
  /** null when the text named no sheet. */
  sheetTitle: string | null;
  /** The text had no cell part (a sheet name alone, or an unquoted name to check against the sheets). */
  wholeSheet: boolean;
  /** Set when the text had no `!` yet read as cells ("A1", "AB12"): it may still be a sheet's title. */
  bareText?: string;
}

const MAX_COLUMNS = 18278; // ZZZ
const MAX_ROWS = 10_000_000;

export function columnLetters(index: number): string {
  let remaining = index + 1;
  let letters = '';
  while (remaining > 0) {
    const rem = (remaining - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    remaining = Math.floor((remaining - 1) / 26);
  }
  return letters;
}

export function columnIndex(letters: string): number {
  let index = 0;
  for (const character of letters.toUpperCase()) index = index * 26 + (character.charCodeAt(0) - 64);
  return index - 1;
}

export function cellName(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** Google quotes a sheet name unless it is a plain identifier that cannot be mistaken for a cell. */
export function quoteSheetName(title: string): string {
  const plain = /^[A-Za-z_][A-Za-z0-9_]*$/.test(title);
  const looksLikeCell = /^[A-Za-z]{1,3}[0-9]+$/.test(title) || /^R[0-9]*C[0-9]*$/i.test(title);
  const isBoolean = /^(true|false)$/i.test(title);
  if (plain && !looksLikeCell && !isBoolean) return title;
  return `'${title.replace(/'/g, "''")}'`;
}

export function formatRect(rect: Rect): string {
  const start = cellName(rect.startRow, rect.startCol);
  if (rect.endRow - rect.startRow === 1 && rect.endCol - rect.startCol === 1) return start;
  return `${start}:${cellName(rect.endRow - 1, rect.endCol - 1)}`;
}

export function formatRange(sheetTitle: string, rect: Rect): string {
  return `${quoteSheetName(sheetTitle)}!${formatRect(rect)}`;
}

interface Endpoint {
  col?: number;
  row?: number;
}

function parseEndpoint(text: string): Endpoint | null {
  const match = /^\$?([A-Za-z]{0,3})\$?([0-9]*)$/.exec(text);
  if (!match) return null;
  const [, letters = '', digits = ''] = match;
  if (letters === '' && digits === '') return null;
  const endpoint: Endpoint = {};
  if (letters !== '') {
    const col = columnIndex(letters);
    if (col >= MAX_COLUMNS) return null;
    endpoint.col = col;
  }
  if (digits !== '') {
    const row = Number(digits) - 1;
    if (row < 0 || row >= MAX_ROWS) return null;
    endpoint.row = row;
  }
  return endpoint;
}

/** Parses the part after `!`. Returns null when it is not a cell reference. */
export function parseCellPart(text: string): A1Bounds | null {
  const parts = text.trim().split(':');
  if (parts.length > 2) return null;
  const start = parseEndpoint(parts[0] ?? '');
  if (!start) return null;
  if (parts.length === 1) {
    // A lone column ("A") or row ("3") is not a range in A1 notation.
    if (start.col === undefined || start.row === undefined) return null;
    return { startRow: start.row, endRow: start.row + 1, startCol: start.col, endCol: start.col + 1 };
  }
  const end = parseEndpoint(parts[1] ?? '');
  if (!end) return null;
  const startHasCol = start.col !== undefined;
  const startHasRow = start.row !== undefined;
  const endHasCol = end.col !== undefined;
  const endHasRow = end.row !== undefined;
  // A row-only endpoint cannot pair with a column, nor a column-only one with a row ("5:B", "A:5").
  if (startHasCol !== endHasCol && !startHasCol) return null;
  if (startHasRow !== endHasRow && !startHasRow && !(startHasCol && endHasCol)) return null;
  if (!startHasCol && !endHasCol && (!startHasRow || !endHasRow)) return null;
  const bounds: A1Bounds = {};
  if (start.col !== undefined) {
    if (end.col !== undefined) {
      bounds.startCol = Math.min(start.col, end.col);
      bounds.endCol = Math.max(start.col, end.col) + 1;
    } else {
      bounds.startCol = start.col; // "A5:10" — from column A to the right edge
    }
  }
  if (start.row !== undefined && end.row !== undefined) {
    bounds.startRow = Math.min(start.row, end.row);
    bounds.endRow = Math.max(start.row, end.row) + 1;
  } else if (start.row !== undefined) {
    bounds.startRow = start.row; // "A5:B" — from row 5 to the bottom edge
  } else if (end.row !== undefined) {
    bounds.endRow = end.row + 1; // "A:B5"
  }
  return bounds;
}

/**
 * Splits `'Sheet name'!A1:B2` into the sheet title and the cell part. Returns null on a
 * syntactically broken reference (an unterminated quote, text after the closing quote).
 */
export function parseA1(text: string): A1Reference | null {
  const trimmed = text.trim();
  if (trimmed === '') return null;
  let sheetTitle: string | null = null;
  let cellPart: string | null = null;
  if (trimmed.startsWith("'")) {
    let index = 1;
    let title = '';
    for (;;) {
      if (index >= trimmed.length) return null;
      const character = trimmed[index];
      if (character === "'") {
        if (trimmed[index + 1] === "'") {
          title += "'";
          index += 2;
          continue;
        }
        index += 1;
        break;
      }
      title += character;
      index += 1;
    }
    sheetTitle = title;
    if (index === trimmed.length) cellPart = null;
    else if (trimmed[index] === '!') cellPart = trimmed.slice(index + 1);
    else return null;
  } else {
    const bang = trimmed.indexOf('!');
    if (bang >= 0) {
      sheetTitle = trimmed.slice(0, bang);
      cellPart = trimmed.slice(bang + 1);
    } else {
      const cells = parseCellPart(trimmed);
      // Ambiguous: "Sheet1" is a sheet, "A1" a cell; the caller prefers an existing sheet title.
      if (cells) return { sheetTitle: null, wholeSheet: false, bareText: trimmed, ...cells };
      return { sheetTitle: trimmed, wholeSheet: true };
    }
  }
  if (cellPart === null) return { sheetTitle, wholeSheet: true };
  const cells = parseCellPart(cellPart);
  if (!cells) return null;
  return { sheetTitle, wholeSheet: false, ...cells };
}

export function resolveBounds(bounds: A1Bounds, rowCount: number, columnCount: number): Rect {
  return {
    startRow: bounds.startRow ?? 0,
    endRow: bounds.endRow ?? rowCount,
    startCol: bounds.startCol ?? 0,
    endCol: bounds.endCol ?? columnCount,
  };
}
