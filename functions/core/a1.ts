/** A1 addresses as a person clicks them: 0-based (row, col) → "C12". */

export function columnLetters(col: number): string {
  let n = col + 1;
  let s = '';
  while (n > 0) {
    const r = (n - 1) % 26;
    s = String.fromCharCode(65 + r) + s;
    n = Math.floor((n - 1) / 26);
  }
  return s;
}

export function a1(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** "C10:D10" for a half-open range. */
export function a1Range(r: { startRow: number; endRow: number; startCol: number; endCol: number }): string {
  const start = a1(r.startRow, r.startCol);
  const end = a1(r.endRow - 1, r.endCol - 1);
  return start === end ? start : `${start}:${end}`;
}

/** Sheet names are quoted when they contain anything but letters, digits and underscores. */
export function quoteSheetName(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}
