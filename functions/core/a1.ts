/** A1 addresses as a person clicks them: 0-based (row, col) → "C12". */

export function columnLetters(col: number): string {
  let remaining = col + 1;
  let letters = '';
  while (remaining > 0) {
    const letterIndex = (remaining - 1) % 26;
    letters = String.fromCharCode(65 + letterIndex) + letters;
    remaining = Math.floor((remaining - 1) / 26);
  }
  return letters;
}

export function a1(row: number, col: number): string {
  return `${columnLetters(col)}${row + 1}`;
}

/** "C10:D10" for a half-open range. */
export function a1Range(range: { startRow: number; endRow: number; startCol: number; endCol: number }): string {
  const start = a1(range.startRow, range.startCol);
  const end = a1(range.endRow - 1, range.endCol - 1);
  return start === end ? start : `${start}:${end}`;
}

/** Sheet names are quoted when they contain anything but letters, digits and underscores. */
export function quoteSheetName(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) ? title : `'${title.replace(/'/g, "''")}'`;
}
