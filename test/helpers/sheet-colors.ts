import type { sheets_v4 } from '@googleapis/sheets';
import type { Rgb } from '../../functions/layout/model.js';

/** A Sheets colour (0..1 components) as the '#RRGGBB' the layout models use: reads rendered sheets back. */
export function colorToRgb(color: sheets_v4.Schema$Color): Rgb {
  const hex = (component: number | null | undefined) =>
    Math.round(Math.min(1, Math.max(0, component ?? 0)) * 255)
      .toString(16)
      .padStart(2, '0')
      .toUpperCase();
  return `#${hex(color.red)}${hex(color.green)}${hex(color.blue)}`;
}
