/**
 * The message types of the Sheets v4 and Drive v3 APIs (field names only), read from
 * api-schema.json (written by generate-api-schema.ts from the official clients' declarations),
 * and the two checks Google makes with them before a request runs:
 *
 * - every path of a `fields` mask must name a field ("Error expanding 'fields' parameter. Cannot
 *   find matching fields for path 'sheets.sheetProperties'.");
 * - every name in a JSON body must be a field of its message ("Invalid JSON payload received.
 *   Unknown name "headerValues" at 'requests[0].update_sheet_properties.properties': Cannot find
 *   field.").
 */
import { readFileSync } from 'node:fs';
import { maskPaths } from './field-mask.js';

/** A message type's name, '{map}' for a free-form map (any key), null for a scalar or a list of lists. */
export type SchemaField = string | null;
export type MessageSchema = Record<string, SchemaField>;

export interface ApiSchemaFile {
  generatedFrom: Record<string, string>;
  sheets: Record<string, MessageSchema>;
  drive: Record<string, MessageSchema>;
}

export type SchemaApi = 'sheets' | 'drive';

const MAP = '{map}';

let cached: ApiSchemaFile | undefined;

export function apiSchema(): ApiSchemaFile {
  cached ??= JSON.parse(readFileSync(new URL('./api-schema.json', import.meta.url), 'utf8')) as ApiSchemaFile;
  return cached;
}

/** A JSON name as proto's JSON parser accepts it: `update_sheet_properties` is `updateSheetProperties`. */
function camelOf(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** A field as Google names it in error paths (the proto name). */
export function protoNameOf(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
}

/**
 * The first path of `mask` that names no field below `rootType`, as Google prints it (segments
 * joined by '.'), or null when every path exists. `*` selects everything below it.
 */
export function unknownMaskPath(
  api: SchemaApi,
  rootType: string,
  mask: string,
  options: { keepWhitespace: boolean },
): string | null {
  const messages = apiSchema()[api];
  for (const path of maskPaths(mask, options)) {
    let type: SchemaField = rootType;
    for (const segment of path) {
      if (type === MAP || segment === '*') break;
      const fields: MessageSchema | undefined = type === null ? undefined : messages[type];
      // "Field names can be specified in camelCase or separated_by_underscores" (Sheets field-mask guide).
      const name: string = fields && !Object.hasOwn(fields, segment) ? camelOf(segment) : segment;
      if (!fields || !Object.hasOwn(fields, name)) return path.join('.');
      type = fields[name] ?? null;
    }
  }
  return null;
}

export interface UnknownName {
  name: string;
  /** Where it sits, in Google's notation: `requests[0].update_sheet_properties.properties`; '' at the top. */
  at: string;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every name in `body` that its message does not have, in document order. */
export function unknownBodyNames(api: SchemaApi, rootType: string, body: unknown): UnknownName[] {
  const messages = apiSchema()[api];
  const found: UnknownName[] = [];

  function visit(value: unknown, type: SchemaField, at: string): void {
    if (type === null || type === MAP) return;
    if (Array.isArray(value)) {
      value.forEach((item, i) => visit(item, type, `${at}[${i}]`));
      return;
    }
    if (!isPlainObject(value)) return;
    const fields = messages[type];
    if (!fields) return;
    for (const [key, child] of Object.entries(value)) {
      const name = Object.hasOwn(fields, key) ? key : camelOf(key);
      if (!Object.hasOwn(fields, name)) {
        found.push({ name: key, at });
        continue;
      }
      const childAt = `${at === '' ? '' : `${at}.`}${protoNameOf(name)}`;
      visit(child, fields[name] ?? null, childAt);
    }
  }

  visit(body, rootType, '');
  return found;
}
