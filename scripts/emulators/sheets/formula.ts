/**
 * A deliberately small formula engine: numbers, strings, + - * / ^ &, comparisons, parentheses,
 * cell and range references (same sheet or `'Other sheet'!A1`), and SUM, MIN, MAX, COUNT, COUNTA,
 * AVERAGE, ROUND, ABS, IF, IFERROR. Anything else yields the error value Sheets would show:
 * an unknown function is #NAME?, a reference off the grid #REF!, a division by zero #DIV/0!,
 * text in arithmetic #VALUE!, unparsable input #ERROR!.
 *
 * References are kept with their source spans so inserting or deleting rows and columns can
 * rewrite them the way Sheets does.
 */
import { columnIndex, columnLetters } from './a1.js';
import type { ExtendedValue, Rect } from './types.js';

export class FormulaError {
  constructor(
    readonly code: string,
    readonly message: string,
  ) {}
}

export type ScalarValue = number | string | boolean | null | FormulaError;

const ERROR_TYPES: Record<string, string> = {
  '#NULL!': 'NULL_VALUE',
  '#DIV/0!': 'DIVIDE_BY_ZERO',
  '#VALUE!': 'VALUE',
  '#REF!': 'REF',
  '#NAME?': 'NAME',
  '#NUM!': 'NUM',
  '#N/A': 'N_A',
  '#ERROR!': 'ERROR',
};

export function errorCodeOfType(type: string): string {
  return Object.entries(ERROR_TYPES).find(([, t]) => t === type)?.[0] ?? '#ERROR!';
}

export interface RefEndpoint {
  col?: number;
  row?: number;
  colAbsolute: boolean;
  rowAbsolute: boolean;
}

export interface Reference {
  sheet: string | null;
  start: RefEndpoint;
  end: RefEndpoint | null;
}

type Token =
  | { kind: 'num'; value: number }
  | { kind: 'str'; value: string }
  | { kind: 'bool'; value: boolean }
  | { kind: 'err'; code: string }
  | { kind: 'ref'; ref: Reference; from: number; to: number }
  | { kind: 'func'; name: string }
  | { kind: 'name'; name: string }
  | { kind: 'op'; op: string };

class ParseError extends Error {}

const ENDPOINT = String.raw`\$?[A-Za-z]{1,3}\$?[0-9]+|\$?[A-Za-z]{1,3}|\$?[0-9]+`;
const REF_AT = new RegExp(String.raw`(${ENDPOINT})(?::(${ENDPOINT}))?`, 'y');

function parseEndpoint(text: string): RefEndpoint | null {
  const match = /^(\$?)([A-Za-z]*)(\$?)([0-9]*)$/.exec(text);
  if (!match) return null;
  const [, colAbs = '', letters = '', rowAbs = '', digits = ''] = match;
  if (letters === '' && digits === '') return null;
  const endpoint: RefEndpoint = { colAbsolute: colAbs === '$', rowAbsolute: rowAbs === '$' };
  if (letters) endpoint.col = columnIndex(letters);
  if (digits) {
    endpoint.row = Number(digits) - 1;
    if (endpoint.row < 0) return null;
  }
  return endpoint;
}

function validPair(start: RefEndpoint, end: RefEndpoint | null): boolean {
  if (!end) return start.col !== undefined && start.row !== undefined;
  const startCell = start.col !== undefined && start.row !== undefined;
  if (startCell) return end.col !== undefined || end.row !== undefined;
  if (start.col !== undefined) return end.col !== undefined && end.row === undefined;
  return end.row !== undefined && end.col === undefined;
}

/** Reads a reference at `pos` (after any sheet prefix); returns its length or null. */
function readReference(
  text: string,
  pos: number,
): { start: RefEndpoint; end: RefEndpoint | null; length: number } | null {
  REF_AT.lastIndex = pos;
  const match = REF_AT.exec(text);
  if (!match) return null;
  const next = text[pos + match[0].length];
  if (next !== undefined && /[A-Za-z0-9_(!.$]/.test(next)) return null;
  const start = parseEndpoint(match[1] as string);
  const end = match[2] === undefined ? null : parseEndpoint(match[2]);
  if (!start || (match[2] !== undefined && !end) || !validPair(start, end)) return null;
  return { start, end, length: match[0].length };
}

function tokenize(formula: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  const text = formula;
  while (index < text.length) {
    const character = text[index] as string;
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    if (character === '"') {
      let value = '';
      index += 1;
      for (;;) {
        if (index >= text.length) throw new ParseError('unterminated string');
        if (text[index] === '"') {
          if (text[index + 1] === '"') {
            value += '"';
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        value += text[index];
        index += 1;
      }
      tokens.push({ kind: 'str', value });
      continue;
    }
    if (character === '#') {
      const match = /^#(REF!|NAME\?|VALUE!|DIV\/0!|N\/A|NUM!|NULL!|ERROR!)/.exec(text.slice(index));
      if (!match) throw new ParseError('bad error literal');
      tokens.push({ kind: 'err', code: match[0] });
      index += match[0].length;
      continue;
    }
    if (character === "'") {
      const from = index;
      let title = '';
      index += 1;
      for (;;) {
        if (index >= text.length) throw new ParseError('unterminated sheet name');
        if (text[index] === "'") {
          if (text[index + 1] === "'") {
            title += "'";
            index += 2;
            continue;
          }
          index += 1;
          break;
        }
        title += text[index];
        index += 1;
      }
      if (text[index] !== '!') throw new ParseError('expected ! after sheet name');
      const ref = readReference(text, index + 1);
      if (!ref) throw new ParseError('expected a reference');
      index += 1 + ref.length;
      tokens.push({ kind: 'ref', ref: { sheet: title, start: ref.start, end: ref.end }, from, to: index });
      continue;
    }
    if (/[0-9.]/.test(character)) {
      const rowRange = readReference(text, index);
      if (rowRange && rowRange.end) {
        tokens.push({
          kind: 'ref',
          ref: { sheet: null, start: rowRange.start, end: rowRange.end },
          from: index,
          to: index + rowRange.length,
        });
        index += rowRange.length;
        continue;
      }
      const match = /^(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/.exec(text.slice(index));
      if (!match) throw new ParseError('bad number');
      tokens.push({ kind: 'num', value: Number(match[0]) });
      index += match[0].length;
      continue;
    }
    if (/[A-Za-z_$]/.test(character)) {
      const ref = readReference(text, index);
      if (ref) {
        tokens.push({
          kind: 'ref',
          ref: { sheet: null, start: ref.start, end: ref.end },
          from: index,
          to: index + ref.length,
        });
        index += ref.length;
        continue;
      }
      const word = /^[A-Za-z_$][A-Za-z0-9_.$]*/.exec(text.slice(index))?.[0] ?? character;
      const from = index;
      index += word.length;
      if (text[index] === '!') {
        const sheetRef = readReference(text, index + 1);
        if (!sheetRef) throw new ParseError('expected a reference');
        index += 1 + sheetRef.length;
        tokens.push({ kind: 'ref', ref: { sheet: word, start: sheetRef.start, end: sheetRef.end }, from, to: index });
        continue;
      }
      let look = index;
      while (look < text.length && /\s/.test(text[look] as string)) look += 1;
      if (text[look] === '(') tokens.push({ kind: 'func', name: word.toUpperCase() });
      else if (/^(TRUE|FALSE)$/i.test(word)) tokens.push({ kind: 'bool', value: word.toUpperCase() === 'TRUE' });
      else tokens.push({ kind: 'name', name: word });
      continue;
    }
    const two = text.slice(index, index + 2);
    if (two === '<=' || two === '>=' || two === '<>') {
      tokens.push({ kind: 'op', op: two });
      index += 2;
      continue;
    }
    if ('+-*/^&(),;=<>%{}'.includes(character)) {
      tokens.push({ kind: 'op', op: character });
      index += 1;
      continue;
    }
    throw new ParseError(`unexpected character ${character}`);
  }
  return tokens;
}

type Node =
  | { type: 'num'; value: number }
  | { type: 'str'; value: string }
  | { type: 'bool'; value: boolean }
  | { type: 'err'; code: string }
  | { type: 'ref'; ref: Reference }
  | { type: 'name'; name: string }
  | { type: 'func'; name: string; args: Node[] }
  | { type: 'unary'; op: string; operand: Node }
  | { type: 'percent'; operand: Node }
  | { type: 'binary'; op: string; left: Node; right: Node };

function parse(tokens: Token[]): Node {
  let pos = 0;
  const peekOp = (): string | undefined => {
    const token = tokens[pos];
    return token?.kind === 'op' ? token.op : undefined;
  };
  const expectOp = (operator: string): void => {
    if (peekOp() !== operator) throw new ParseError(`expected ${operator}`);
    pos += 1;
  };

  function binaryLevel(ops: string[], next: () => Node): () => Node {
    return () => {
      let left = next();
      for (;;) {
        const operator = peekOp();
        if (operator === undefined || !ops.includes(operator)) return left;
        pos += 1;
        left = { type: 'binary', op: operator, left, right: next() };
      }
    };
  }

  function primary(): Node {
    const token = tokens[pos];
    if (!token) throw new ParseError('unexpected end');
    pos += 1;
    switch (token.kind) {
      case 'num':
        return { type: 'num', value: token.value };
      case 'str':
        return { type: 'str', value: token.value };
      case 'bool':
        return { type: 'bool', value: token.value };
      case 'err':
        return { type: 'err', code: token.code };
      case 'ref':
        return { type: 'ref', ref: token.ref };
      case 'name':
        return { type: 'name', name: token.name };
      case 'func': {
        expectOp('(');
        const args: Node[] = [];
        if (peekOp() === ')') {
          pos += 1;
          return { type: 'func', name: token.name, args };
        }
        for (;;) {
          args.push(comparison());
          const operator = peekOp();
          if (operator === ',' || operator === ';') {
            pos += 1;
            continue;
          }
          expectOp(')');
          return { type: 'func', name: token.name, args };
        }
      }
      case 'op':
        if (token.op === '(') {
          const inner = comparison();
          expectOp(')');
          return inner;
        }
        throw new ParseError(`unexpected ${token.op}`);
    }
  }

  function postfix(): Node {
    let node = primary();
    while (peekOp() === '%') {
      pos += 1;
      node = { type: 'percent', operand: node };
    }
    return node;
  }

  function unary(): Node {
    const operator = peekOp();
    if (operator === '-' || operator === '+') {
      pos += 1;
      return { type: 'unary', op: operator, operand: unary() };
    }
    return postfix();
  }

  const power = binaryLevel(['^'], unary);
  const term = binaryLevel(['*', '/'], power);
  const additive = binaryLevel(['+', '-'], term);
  const concat = binaryLevel(['&'], additive);
  const comparison = binaryLevel(['=', '<>', '<', '>', '<=', '>='], concat);

  const root = comparison();
  if (pos !== tokens.length) throw new ParseError('trailing input');
  return root;
}

/** What the evaluator needs from the spreadsheet. */
export interface FormulaHost {
  /** null title = the formula's own sheet. */
  resolveSheet(title: string | null): { sheetId: number; rowCount: number; columnCount: number } | null;
  valueAt(sheetId: number, row: number, col: number): ScalarValue;
  /** Calls `visit` for each non-empty cell of the rectangle, row by row. */
  forEachValue(sheetId: number, rect: Rect, visit: (value: ScalarValue) => void): void;
}

interface RangeValue {
  kind: 'range';
  sheetId: number;
  rect: Rect;
}

type Evaluated = ScalarValue | RangeValue;

function isRange(value: Evaluated): value is RangeValue {
  return typeof value === 'object' && value !== null && !(value instanceof FormulaError);
}

const REF_ERROR = new FormulaError('#REF!', 'Reference does not exist.');

function resolveReference(ref: Reference, host: FormulaHost): RangeValue | FormulaError {
  const sheet = host.resolveSheet(ref.sheet);
  if (!sheet) return new FormulaError('#REF!', `Unresolved sheet name '${ref.sheet ?? ''}'.`);
  const end = ref.end ?? ref.start;
  const span = (left: number | undefined, right: number | undefined, size: number): [number, number] => {
    if (left !== undefined && right !== undefined) return [Math.min(left, right), Math.max(left, right) + 1];
    if (left !== undefined) return [left, size];
    if (right !== undefined) return [0, right + 1];
    return [0, size];
  };
  const [startRow, endRow] = span(ref.start.row, end.row, sheet.rowCount);
  const [startCol, endCol] = span(ref.start.col, end.col, sheet.columnCount);
  const rect: Rect = { startRow, endRow, startCol, endCol };
  if (rect.endRow > sheet.rowCount || rect.endCol > sheet.columnCount) return REF_ERROR;
  return { kind: 'range', sheetId: sheet.sheetId, rect };
}

function scalarOf(value: Evaluated, host: FormulaHost): ScalarValue {
  if (!isRange(value)) return value;
  const { rect } = value;
  if (rect.endRow - rect.startRow === 1 && rect.endCol - rect.startCol === 1) {
    return host.valueAt(value.sheetId, rect.startRow, rect.startCol);
  }
  return new FormulaError('#VALUE!', 'The emulator does not expand array results; refer to a single cell.');
}

function coerceNumber(value: ScalarValue, functionName: string, parameter: number): number | FormulaError {
  if (value instanceof FormulaError) return value;
  if (value === null) return 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'boolean') return value ? 1 : 0;
  const trimmed = value.trim();
  if (trimmed !== '' && Number.isFinite(Number(trimmed))) return Number(trimmed);
  return new FormulaError(
    '#VALUE!',
    `Function ${functionName} parameter ${parameter} expects number values. But '${value}' is a text and cannot be coerced to a number.`,
  );
}

function textOf(value: ScalarValue): string {
  if (value === null) return '';
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (typeof value === 'number') return String(value);
  return value instanceof FormulaError ? value.code : value;
}

const ARITHMETIC_NAMES: Record<string, string> = {
  '+': 'ADD',
  '-': 'MINUS',
  '*': 'MULTIPLY',
  '/': 'DIVIDE',
  '^': 'POW',
};

function compare(left: ScalarValue, right: ScalarValue): number {
  const rank = (v: ScalarValue): number => (typeof v === 'number' || v === null ? 0 : typeof v === 'string' ? 1 : 2);
  const leftValue = left ?? (typeof right === 'string' ? '' : 0);
  const rightValue = right ?? (typeof left === 'string' ? '' : 0);
  if (rank(leftValue) !== rank(rightValue)) return rank(leftValue) - rank(rightValue);
  if (typeof leftValue === 'string' && typeof rightValue === 'string')
    return leftValue.toLowerCase().localeCompare(rightValue.toLowerCase());
  return Number(leftValue) - Number(rightValue);
}

interface Gathered {
  numbers: number[];
  nonEmpty: number;
  error?: FormulaError;
}

/** Collects function arguments the way SUM-like functions read them: text in ranges is skipped. */
function gather(args: Evaluated[], functionName: string, host: FormulaHost): Gathered {
  const result: Gathered = { numbers: [], nonEmpty: 0 };
  args.forEach((arg, index) => {
    if (result.error) return;
    if (isRange(arg)) {
      host.forEachValue(arg.sheetId, arg.rect, (value) => {
        if (result.error) return;
        if (value instanceof FormulaError) {
          result.error = value;
          return;
        }
        if (value === null || value === '') return;
        result.nonEmpty += 1;
        if (typeof value === 'number') result.numbers.push(value);
      });
      return;
    }
    if (arg === null) return;
    result.nonEmpty += 1;
    const number = coerceNumber(arg, functionName, index + 1);
    if (number instanceof FormulaError) result.error = number;
    else result.numbers.push(number);
  });
  return result;
}

function wrongArgs(functionName: string, expected: string, got: number): FormulaError {
  return new FormulaError(
    '#N/A',
    `Wrong number of arguments to ${functionName}. Expected ${expected} arguments, but got ${got} arguments.`,
  );
}

function callFunction(
  name: string,
  argNodes: Node[],
  evaluate: (node: Node) => Evaluated,
  host: FormulaHost,
): ScalarValue {
  const scalar = (node: Node): ScalarValue => scalarOf(evaluate(node), host);
  switch (name) {
    case 'SUM':
    case 'MIN':
    case 'MAX':
    case 'COUNT':
    case 'COUNTA':
    case 'AVERAGE': {
      if (argNodes.length === 0) return wrongArgs(name, 'at least 1', 0);
      const args = argNodes.map(evaluate);
      if (name === 'COUNT') {
        let count = 0;
        for (const arg of args) {
          if (isRange(arg))
            host.forEachValue(arg.sheetId, arg.rect, (value) => (count += typeof value === 'number' ? 1 : 0));
          else if (typeof arg === 'number') count += 1;
        }
        return count;
      }
      if (name === 'COUNTA') {
        let count = 0;
        for (const arg of args) {
          if (isRange(arg))
            host.forEachValue(arg.sheetId, arg.rect, (value) => (count += value === null || value === '' ? 0 : 1));
          else if (arg !== null) count += 1;
        }
        return count;
      }
      const gathered = gather(args, name, host);
      if (gathered.error) return gathered.error;
      const { numbers } = gathered;
      if (name === 'SUM') return numbers.reduce((a, b) => a + b, 0);
      if (name === 'MIN') return numbers.length === 0 ? 0 : Math.min(...numbers);
      if (name === 'MAX') return numbers.length === 0 ? 0 : Math.max(...numbers);
      if (numbers.length === 0)
        return new FormulaError('#DIV/0!', 'Evaluation of function AVERAGE caused a divide by zero error.');
      return numbers.reduce((a, b) => a + b, 0) / numbers.length;
    }
    case 'ABS': {
      if (argNodes.length !== 1) return wrongArgs(name, '1', argNodes.length);
      const value = coerceNumber(scalar(argNodes[0] as Node), name, 1);
      return value instanceof FormulaError ? value : Math.abs(value);
    }
    case 'ROUND': {
      if (argNodes.length < 1 || argNodes.length > 2) return wrongArgs(name, 'between 1 and 2', argNodes.length);
      const value = coerceNumber(scalar(argNodes[0] as Node), name, 1);
      if (value instanceof FormulaError) return value;
      const places = argNodes[1] ? coerceNumber(scalar(argNodes[1]), name, 2) : 0;
      if (places instanceof FormulaError) return places;
      const factor = 10 ** Math.trunc(places);
      return (Math.sign(value) * Math.round(Math.abs(value) * factor + 1e-9)) / factor;
    }
    case 'IF': {
      if (argNodes.length < 2 || argNodes.length > 3) return wrongArgs(name, 'between 2 and 3', argNodes.length);
      const condition = scalar(argNodes[0] as Node);
      if (condition instanceof FormulaError) return condition;
      const truthy = typeof condition === 'string' ? coerceNumber(condition, name, 1) : Number(condition ?? 0);
      if (truthy instanceof FormulaError) return truthy;
      if (truthy !== 0) return scalar(argNodes[1] as Node);
      return argNodes[2] ? scalar(argNodes[2]) : false;
    }
    case 'IFERROR': {
      if (argNodes.length < 1 || argNodes.length > 2) return wrongArgs(name, 'between 1 and 2', argNodes.length);
      const value = scalar(argNodes[0] as Node);
      if (!(value instanceof FormulaError)) return value;
      return argNodes[1] ? scalar(argNodes[1]) : null;
    }
    case 'HYPERLINK': {
      // The cell shows the label (or the URL without one); the link itself is the formula's.
      if (argNodes.length < 1 || argNodes.length > 2) return wrongArgs(name, 'between 1 and 2', argNodes.length);
      const url = scalar(argNodes[0] as Node);
      if (url instanceof FormulaError) return url;
      const label = argNodes[1] ? scalar(argNodes[1]) : url;
      if (label instanceof FormulaError) return label;
      return label === null ? '' : label;
    }
    default:
      return new FormulaError('#NAME?', `Unknown function: '${name}'.`);
  }
}

function evaluateNode(node: Node, host: FormulaHost): Evaluated {
  const evaluate = (inner: Node): Evaluated => evaluateNode(inner, host);
  switch (node.type) {
    case 'num':
      return node.value;
    case 'str':
      return node.value;
    case 'bool':
      return node.value;
    case 'err':
      return new FormulaError(node.code, node.code === '#REF!' ? 'Reference does not exist.' : 'Error in formula.');
    case 'ref':
      return resolveReference(node.ref, host);
    case 'name':
      return new FormulaError('#NAME?', `Unknown range name: '${node.name.toUpperCase()}'.`);
    case 'func':
      return callFunction(node.name, node.args, evaluate, host);
    case 'percent': {
      const value = coerceNumber(scalarOf(evaluate(node.operand), host), 'DIVIDE', 1);
      return value instanceof FormulaError ? value : value / 100;
    }
    case 'unary': {
      const value = coerceNumber(scalarOf(evaluate(node.operand), host), node.op === '-' ? 'UMINUS' : 'UPLUS', 1);
      if (value instanceof FormulaError) return value;
      return node.op === '-' ? -value : value;
    }
    case 'binary': {
      const left = scalarOf(evaluate(node.left), host);
      const right = scalarOf(evaluate(node.right), host);
      if (left instanceof FormulaError) return left;
      if (right instanceof FormulaError) return right;
      if (node.op === '&') return textOf(left) + textOf(right);
      if (['=', '<>', '<', '>', '<=', '>='].includes(node.op)) {
        const order = compare(left, right);
        switch (node.op) {
          case '=':
            return order === 0;
          case '<>':
            return order !== 0;
          case '<':
            return order < 0;
          case '>':
            return order > 0;
          case '<=':
            return order <= 0;
          default:
            return order >= 0;
        }
      }
      const functionName = ARITHMETIC_NAMES[node.op] ?? node.op;
      const leftNumber = coerceNumber(left, functionName, 1);
      if (leftNumber instanceof FormulaError) return leftNumber;
      const rightNumber = coerceNumber(right, functionName, 2);
      if (rightNumber instanceof FormulaError) return rightNumber;
      switch (node.op) {
        case '+':
          return leftNumber + rightNumber;
        case '-':
          return leftNumber - rightNumber;
        case '*':
          return leftNumber * rightNumber;
        case '/':
          return rightNumber === 0
            ? new FormulaError('#DIV/0!', 'Function DIVIDE parameter 2 cannot be zero.')
            : leftNumber / rightNumber;
        default:
          return leftNumber ** rightNumber;
      }
    }
  }
}

const PARSE_ERROR = new FormulaError('#ERROR!', 'Formula parse error.');

/** Evaluates a formula (with its leading '='). */
export function evaluateFormula(formula: string, host: FormulaHost): ScalarValue {
  let tree: Node;
  try {
    tree = parse(tokenize(formula.replace(/^=/, '')));
  } catch (error) {
    if (error instanceof ParseError) return PARSE_ERROR;
    throw error;
  }
  const result = scalarOf(evaluateNode(tree, host), host);
  if (typeof result === 'number' && !Number.isFinite(result))
    return new FormulaError('#NUM!', 'Result was not a finite number.');
  return result;
}

export function toExtendedValue(value: ScalarValue): ExtendedValue | undefined {
  if (value === null) return undefined;
  if (value instanceof FormulaError)
    return { errorValue: { type: ERROR_TYPES[value.code] ?? 'ERROR', message: value.message } };
  if (typeof value === 'number') return { numberValue: value };
  if (typeof value === 'boolean') return { boolValue: value };
  return { stringValue: value };
}

function endpointText(endpoint: RefEndpoint): string {
  let text = '';
  if (endpoint.col !== undefined) text += (endpoint.colAbsolute ? '$' : '') + columnLetters(endpoint.col);
  if (endpoint.row !== undefined) text += (endpoint.rowAbsolute ? '$' : '') + String(endpoint.row + 1);
  return text;
}

function sheetPrefix(title: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(title) ? `${title}!` : `'${title.replace(/'/g, "''")}'!`;
}

export function referenceText(ref: Reference): string {
  const prefix = ref.sheet === null ? '' : sheetPrefix(ref.sheet);
  return prefix + endpointText(ref.start) + (ref.end ? `:${endpointText(ref.end)}` : '');
}

/**
 * Rewrites each reference of a formula. `rewrite` returns the new reference, 'deleted' (the
 * cells it pointed at are gone: it becomes #REF!) or null to leave it. Unparsable formulas are
 * returned unchanged.
 */
export function rewriteReferences(formula: string, rewrite: (ref: Reference) => Reference | 'deleted' | null): string {
  const body = formula.startsWith('=') ? formula.slice(1) : formula;
  let tokens: Token[];
  try {
    tokens = tokenize(body);
  } catch {
    return formula;
  }
  let out = '';
  let cursor = 0;
  for (const token of tokens) {
    if (token.kind !== 'ref') continue;
    const replacement = rewrite(token.ref);
    if (replacement === null) continue;
    out += body.slice(cursor, token.from) + (replacement === 'deleted' ? '#REF!' : referenceText(replacement));
    cursor = token.to;
  }
  if (cursor === 0) return formula;
  return (formula.startsWith('=') ? '=' : '') + out + body.slice(cursor);
}

/**
 * Moves one endpoint coordinate for an inserted (count > 0) or deleted (count < 0) span of rows
 * or columns starting at `index`. Returns null when a lone cell coordinate falls in the deleted span.
 */
export function shiftCoordinate(
  value: number,
  index: number,
  count: number,
  edge: 'start' | 'end' | 'cell',
): number | null {
  if (count > 0) return value >= index ? value + count : value;
  const removed = -count;
  if (value < index) return value;
  if (value >= index + removed) return value - removed;
  if (edge === 'cell') return null;
  return edge === 'start' ? index : index - 1;
}
