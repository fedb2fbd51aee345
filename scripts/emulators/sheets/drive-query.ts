/**
 * The Drive v3 `q` search language, the subset a provisioning tool uses:
 *   name = '…' | name != '…' | name contains '…'
 *   mimeType = '…' | mimeType != '…'
 *   trashed = true|false, starred = true|false
 *   modifiedTime > '2020-01-01T00:00:00' (and the other comparisons; createdTime too)
 *   'id' in parents, 'email' in owners|writers|readers
 *   appProperties has { key='k' and value='v' }, properties has { … }
 * joined by and / or / not with parentheses. Anything else is 400 "Invalid Value" on `q`.
 */
import { accessOf, atLeast, sameEmail } from './access.js';
import { driveInvalidValue } from './errors.js';
import type { DriveFileState } from './types.js';

type Token = { kind: 'string'; value: string } | { kind: 'word'; value: string } | { kind: 'op'; value: string };

export type FilePredicate = (file: DriveFileState, user: string) => boolean;

function invalidQuery(): Error {
  return driveInvalidValue('q');
}

function tokenize(q: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < q.length) {
    const ch = q[i] as string;
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    if (ch === "'" || ch === '"') {
      let value = '';
      i += 1;
      for (;;) {
        if (i >= q.length) throw invalidQuery();
        const c = q[i] as string;
        if (c === '\\' && i + 1 < q.length) {
          value += q[i + 1];
          i += 2;
          continue;
        }
        if (c === ch) {
          i += 1;
          break;
        }
        value += c;
        i += 1;
      }
      tokens.push({ kind: 'string', value });
      continue;
    }
    const op = /^(!=|<=|>=|=|<|>|\(|\)|\{|\})/.exec(q.slice(i));
    if (op) {
      tokens.push({ kind: 'op', value: op[0] });
      i += op[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(q.slice(i));
    if (!word) throw invalidQuery();
    tokens.push({ kind: 'word', value: word[0] });
    i += word[0].length;
  }
  return tokens;
}

function compareValues(actual: string | number, op: string, expected: string | number): boolean {
  switch (op) {
    case '=':
      return actual === expected;
    case '!=':
      return actual !== expected;
    case '<':
      return actual < expected;
    case '<=':
      return actual <= expected;
    case '>':
      return actual > expected;
    case '>=':
      return actual >= expected;
    default:
      throw invalidQuery();
  }
}

export function parseDriveQuery(q: string): FilePredicate {
  const tokens = tokenize(q);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos];
    if (!token) throw invalidQuery();
    pos += 1;
    return token;
  };
  const isWord = (token: Token | undefined, value: string): boolean => token?.kind === 'word' && token.value.toLowerCase() === value;
  const expectOp = (value: string): void => {
    const token = next();
    if (token.kind !== 'op' || token.value !== value) throw invalidQuery();
  };
  const expectString = (): string => {
    const token = next();
    if (token.kind !== 'string') throw invalidQuery();
    return token.value;
  };

  function orExpr(): FilePredicate {
    let left = andExpr();
    while (isWord(peek(), 'or')) {
      pos += 1;
      const right = andExpr();
      const l = left;
      left = (file, user) => l(file, user) || right(file, user);
    }
    return left;
  }

  function andExpr(): FilePredicate {
    let left = notExpr();
    while (isWord(peek(), 'and')) {
      pos += 1;
      const right = notExpr();
      const l = left;
      left = (file, user) => l(file, user) && right(file, user);
    }
    return left;
  }

  function notExpr(): FilePredicate {
    if (isWord(peek(), 'not')) {
      pos += 1;
      const inner = notExpr();
      return (file, user) => !inner(file, user);
    }
    const token = peek();
    if (token?.kind === 'op' && token.value === '(') {
      pos += 1;
      const inner = orExpr();
      expectOp(')');
      return inner;
    }
    return term();
  }

  function term(): FilePredicate {
    const first = next();
    if (first.kind === 'string') {
      if (!isWord(next(), 'in')) throw invalidQuery();
      const collection = next();
      if (collection.kind !== 'word') throw invalidQuery();
      const value = first.value;
      switch (collection.value) {
        case 'parents':
          return (file) => file.parents.includes(value);
        case 'owners':
          return (file) => sameEmail(file.ownerEmail, value);
        case 'writers':
          return (file) => atLeast(accessOf(file, value), 'writer');
        case 'readers':
          return (file) => atLeast(accessOf(file, value), 'reader');
        default:
          throw invalidQuery();
      }
    }
    if (first.kind !== 'word') throw invalidQuery();
    const field = first.value;
    if (field === 'appProperties' || field === 'properties') {
      if (!isWord(next(), 'has')) throw invalidQuery();
      expectOp('{');
      if (!isWord(next(), 'key')) throw invalidQuery();
      expectOp('=');
      const key = expectString();
      if (!isWord(next(), 'and')) throw invalidQuery();
      if (!isWord(next(), 'value')) throw invalidQuery();
      expectOp('=');
      const value = expectString();
      expectOp('}');
      return (file) => (field === 'appProperties' ? file.appProperties : file.properties)[key] === value;
    }
    const operator = next();
    const op = operator.kind === 'word' && operator.value === 'contains' ? 'contains' : operator.kind === 'op' ? operator.value : '';
    if (!op) throw invalidQuery();
    switch (field) {
      case 'name': {
        const value = expectString();
        if (op === 'contains') return (file) => file.name.toLowerCase().includes(value.toLowerCase());
        if (op !== '=' && op !== '!=') throw invalidQuery();
        return (file) => compareValues(file.name, op, value);
      }
      case 'mimeType': {
        const value = expectString();
        if (op !== '=' && op !== '!=') throw invalidQuery();
        return (file) => compareValues(file.mimeType, op, value);
      }
      case 'trashed':
      case 'starred': {
        const token = next();
        if (token.kind !== 'word' || !/^(true|false)$/i.test(token.value) || (op !== '=' && op !== '!=')) throw invalidQuery();
        const value = token.value.toLowerCase() === 'true';
        return (file) => compareValues(String(file[field]), op, String(value));
      }
      case 'modifiedTime':
      case 'createdTime': {
        const value = Date.parse(expectString());
        if (Number.isNaN(value) || op === 'contains') throw invalidQuery();
        return (file) => compareValues(file[field], op, value);
      }
      default:
        throw invalidQuery();
    }
  }

  if (tokens.length === 0) return () => true;
  const predicate = orExpr();
  if (pos !== tokens.length) throw invalidQuery();
  return predicate;
}
