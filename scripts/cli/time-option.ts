import { UsageError } from './io.js';

/** `--at 2020-07-14T23:59:59+07:00`: an instant with its zone; a bare date-time is read in the campaign's zone (ICT). */
export function parseAt(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const withZone = /(Z|[+-]\d{2}:\d{2})$/.test(value) ? value : `${value}+07:00`;
  const parsed = Date.parse(withZone);
  if (Number.isNaN(parsed))
    throw new UsageError(`--at "${value}" không phải thời điểm hợp lệ; ví dụ 2020-07-14T23:59:59+07:00.`);
  return parsed;
}
