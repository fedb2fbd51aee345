/** The official multi-row column header of a figures table (groups merged across, leaves merged down). */
import type { Indicator } from '../../sheets-schema/campaign-schema.js';
import { STYLES, type SheetBuilder } from './sheet-builder.js';

/**
 * Writes the header rows at `top` for indicators starting at `firstCol`, with a label column
 * header (e.g. "Kỳ báo cáo", "Đơn vị") at `labelCol` spanning every header row.
 * Returns the number of header rows.
 */
export function writeFiguresHeader(
  builder: SheetBuilder,
  indicators: Indicator[],
  top: number,
  firstCol: number,
  labelCol: number,
  labelText: string,
): number {
  const depth = Math.max(...indicators.map((i) => i.header.length));
  builder.set(top, labelCol, labelText, STYLES.header).merge(top, labelCol, top + depth, labelCol + 1);
  builder.style({ startRow: top, endRow: top + depth, startCol: labelCol, endCol: labelCol + 1 }, STYLES.header);
  for (let level = 0; level < depth; level++) {
    let runStart = 0;
    for (let j = 1; j <= indicators.length; j++) {
      const same =
        j < indicators.length &&
        indicators[j]!.header.length > level + 1 &&
        indicators[runStart]!.header.length > level + 1 &&
        indicators[j]!.header.slice(0, level + 1).join('\u0000') ===
          indicators[runStart]!.header.slice(0, level + 1).join('\u0000');
      if (same) continue;
      const first = indicators[runStart]!;
      if (first.header.length > level) {
        const col = firstCol + runStart;
        const endRow = first.header.length === level + 1 ? top + depth : top + level + 1;
        builder.set(top + level, col, first.header[level]!, STYLES.header);
        builder.merge(top + level, col, endRow, firstCol + j);
        builder.style({ startRow: top + level, endRow, startCol: col, endCol: firstCol + j }, STYLES.header);
      }
      runStart = j;
    }
  }
  for (let level = 0; level < depth; level++) builder.row(top + level, { height: level === depth - 1 ? 64 : 36 });
  return depth;
}
