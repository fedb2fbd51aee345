/**
 * Field masks in Google's partial-response syntax: `a,b.c,d(e,f(g)),h/i`, with `*` for "all".
 * The same parser serves response projection (`fields=` query parameter) and update masks
 * (`fields` inside updateCells, repeatCell, updateSheetProperties …).
 */

/** null marks a selected leaf: the whole value below it is selected. */
import { driveInvalidValue } from './errors.js';

export type MaskTree = Map<string, MaskTree | null>;

export class FieldMaskError extends Error {}

function mergeInto(target: MaskTree, key: string, sub: MaskTree | null): void {
  if (!target.has(key)) {
    target.set(key, sub);
    return;
  }
  const existing = target.get(key);
  if (existing === null || existing === undefined || sub === null) {
    target.set(key, null);
    return;
  }
  for (const [key, value] of sub) mergeInto(existing, key, value);
}

export function parseFieldMask(text: string): MaskTree {
  let pos = 0;
  const src = text.replace(/\s+/g, '');

  function parseList(): MaskTree {
    const tree: MaskTree = new Map();
    for (;;) {
      parseItem(tree);
      if (src[pos] === ',') {
        pos += 1;
        continue;
      }
      return tree;
    }
  }

  function parseName(): string {
    const match = /^[A-Za-z0-9_*@]+/.exec(src.slice(pos));
    if (!match) throw new FieldMaskError(`Invalid field mask "${text}" at position ${pos}`);
    pos += match[0].length;
    return match[0];
  }

  function parseItem(tree: MaskTree): void {
    const path = [parseName()];
    while (src[pos] === '.' || src[pos] === '/') {
      pos += 1;
      path.push(parseName());
    }
    let sub: MaskTree | null = null;
    if (src[pos] === '(') {
      pos += 1;
      sub = parseList();
      if (src[pos] !== ')') throw new FieldMaskError(`Invalid field mask "${text}": missing ')'`);
      pos += 1;
    }
    for (let i = path.length - 1; i >= 1; i -= 1) {
      const wrapper: MaskTree = new Map();
      wrapper.set(path[i] as string, sub);
      sub = wrapper;
    }
    mergeInto(tree, path[0] as string, sub);
  }

  if (src === '') return new Map();
  const tree = parseList();
  if (pos !== src.length) throw new FieldMaskError(`Invalid field mask "${text}" at position ${pos}`);
  return tree;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps only the masked fields of a response resource. Arrays are projected element-wise. */
export function projectFields(value: unknown, tree: MaskTree | null): unknown {
  if (tree === null || tree.size === 0) return value;
  if (Array.isArray(value)) return value.map((item) => projectFields(item, tree));
  if (!isPlainObject(value)) return value;
  if (tree.has('*')) {
    const wildcard = tree.get('*') ?? null;
    const out: Record<string, unknown> = {};
    for (const [key, child] of Object.entries(value)) {
      out[key] = tree.has(key) ? projectFields(child, tree.get(key) ?? null) : projectFields(child, wildcard);
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const [key, sub] of tree) {
    const child = value[key];
    if (child === undefined) continue;
    const projected = projectFields(child, sub);
    // A message whose selected fields are all unset is left out, as Google does.
    const emptied =
      isPlainObject(projected) &&
      Object.keys(projected).length === 0 &&
      isPlainObject(child) &&
      Object.keys(child).length > 0;
    if (!emptied) out[key] = projected;
  }
  return out;
}

/** Does the mask select `path` (or something below it)? */
export function maskSelects(tree: MaskTree | null, path: string[]): boolean {
  let node: MaskTree | null = tree;
  for (const key of path) {
    if (node === null) return true;
    if (node.has('*')) return true;
    if (!node.has(key)) return false;
    node = node.get(key) ?? null;
  }
  return true;
}

export function subMask(tree: MaskTree | null, path: string[]): MaskTree | null {
  let node: MaskTree | null = tree;
  for (const key of path) {
    if (node === null) return null;
    if (node.has(key)) node = node.get(key) ?? null;
    else if (node.has('*')) node = node.get('*') ?? null;
    else return new Map();
  }
  return node;
}

function clone<T>(value: T): T {
  return value === undefined ? value : (structuredClone(value) as T);
}

/**
 * Applies an update mask: every masked field of `target` takes the value from `source`, and a
 * masked field absent from `source` is cleared — which is how `fields` works in Sheets updates.
 */
export function applyUpdateMask(
  target: Record<string, unknown>,
  source: Record<string, unknown>,
  tree: MaskTree,
): void {
  const keys = tree.has('*') ? new Set([...Object.keys(target), ...Object.keys(source)]) : new Set(tree.keys());
  for (const key of keys) {
    if (key === '*') continue;
    const sub = tree.has(key) ? (tree.get(key) ?? null) : (tree.get('*') ?? null);
    const incoming = source[key];
    if (sub === null) {
      if (incoming === undefined || incoming === null) delete target[key];
      else target[key] = clone(incoming);
      continue;
    }
    const existing = target[key];
    const nested: Record<string, unknown> = isPlainObject(existing) ? existing : {};
    applyUpdateMask(nested, isPlainObject(incoming) ? incoming : {}, sub);
    if (Object.keys(nested).length === 0) delete target[key];
    else target[key] = nested;
  }
}

/**
 * The field paths a mask names, expanded: `a(b,c/d),e` gives [a,b] [a,c,d] [e]. Unlike
 * parseFieldMask, whitespace can be kept as part of a name: Sheets does not trim it (a mask
 * `properties, sheets.properties` is refused for the path ' sheets.properties'), Drive does.
 */
export function maskPaths(text: string, options: { keepWhitespace: boolean }): string[][] {
  const src = options.keepWhitespace ? text : text.replace(/\s+/g, '');
  let pos = 0;
  const paths: string[][] = [];
  const fail = (): never => {
    throw new FieldMaskError(`Invalid field mask "${text}" at position ${pos}`);
  };

  function parseName(): string {
    const match = /^[^,()./]+/.exec(src.slice(pos));
    if (!match) return fail();
    pos += match[0].length;
    return match[0];
  }

  function parseList(prefix: string[]): void {
    for (;;) {
      const path = [...prefix, parseName()];
      while (src[pos] === '.' || src[pos] === '/') {
        pos += 1;
        path.push(parseName());
      }
      if (src[pos] === '(') {
        pos += 1;
        parseList(path);
        if (src[pos] !== ')') fail();
        pos += 1;
      } else {
        paths.push(path);
      }
      if (src[pos] !== ',') return;
      pos += 1;
    }
  }

  if (src === '') return paths;
  parseList([]);
  if (pos !== src.length) fail();
  return paths;
}

/**
 * A Drive resource cut to the request's `fields` (or the method's default). A mask Drive cannot
 * read is its 400 "Invalid field selection" (server.ts refuses unknown field names before this).
 */
export function projectDriveFields(fields: string | null, value: unknown, defaultFields: string): unknown {
  const mask = fields ?? defaultFields;
  try {
    return projectFields(value, parseFieldMask(mask));
  } catch (error) {
    if (error instanceof FieldMaskError) throw driveInvalidValue('fields', `Invalid field selection ${mask}`);
    throw error;
  }
}
