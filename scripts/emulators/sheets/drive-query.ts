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

function tokenize(query: string): Token[] {
  const tokens: Token[] = [];
  let index = 0;
  while (index < query.length) {
    const character = query[index] as string;
    if (/\s/.test(character)) {
      index += 1;
      continue;
    }
    if (character === "'" || character === '"') {
      let value = '';
      index += 1;
      for (;;) {
        if (index >= query.length) throw invalidQuery();
        const quotedCharacter = query[index] as string;
        if (quotedCharacter === '\\' && index + 1 < query.length) {
          value += query[index + 1];
          index += 2;
          continue;
        }
        if (quotedCharacter === character) {
          index += 1;
          break;
        }
        value += quotedCharacter;
        index += 1;
      }
      tokens.push({ kind: 'string', value });
      continue;
    }
    const operatorMatch = /^(!=|<=|>=|=|<|>|\(|\)|\{|\})/.exec(query.slice(index));
    if (operatorMatch) {
      tokens.push({ kind: 'op', value: operatorMatch[0] });
      index += operatorMatch[0].length;
      continue;
    }
    const word = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(query.slice(index));
    if (!word) throw invalidQuery();
    tokens.push({ kind: 'word', value: word[0] });
    index += word[0].length;
  }
  return tokens;
}

function compareValues(actual: string | number, operator: string, expected: string | number): boolean {
  switch (operator) {
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

export function parseDriveQuery(query: string): FilePredicate {
  const tokens = tokenize(query);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const next = (): Token => {
    const token = tokens[pos];
    if (!token) throw invalidQuery();
    pos += 1;
    return token;
  };
  const isWord = (token: Token | undefined, value: string): boolean =>
    token?.kind === 'word' && token.value.toLowerCase() === value;
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
      const leftPredicate = left;
      left = (file, user) => leftPredicate(file, user) || right(file, user);
    }
    return left;
  }

  function andExpr(): FilePredicate {
    let left = notExpr();
    while (isWord(peek(), 'and')) {
      pos += 1;
      const right = notExpr();
      const leftPredicate = left;
      left = (file, user) => leftPredicate(file, user) && right(file, user);
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
    const comparison =
      operator.kind === 'word' && operator.value === 'contains'
        ? 'contains'
        : operator.kind === 'op'
          ? operator.value
          : '';
    if (!comparison) throw invalidQuery();
    switch (field) {
      case 'name': {
        const value = expectString();
        if (comparison === 'contains') return (file) => file.name.toLowerCase().includes(value.toLowerCase());
        if (comparison !== '=' && comparison !== '!=') throw invalidQuery();
        return (file) => compareValues(file.name, comparison, value);
      }
      case 'mimeType': {
        const value = expectString();
        if (comparison !== '=' && comparison !== '!=') throw invalidQuery();
        return (file) => compareValues(file.mimeType, comparison, value);
      }
      case 'trashed':
      case 'starred': {
        const token = next();
        if (
          token.kind !== 'word' ||
          !/^(true|false)$/i.test(token.value) ||
          (comparison !== '=' && comparison !== '!=')
        )
          throw invalidQuery();
        const value = token.value.toLowerCase() === 'true';
        return (file) => compareValues(String(file[field]), comparison, String(value));
      }
      case 'modifiedTime':
      case 'createdTime': {
        const value = Date.parse(expectString());
        if (Number.isNaN(value) || comparison === 'contains') throw invalidQuery();
        return (file) => compareValues(file[field], comparison, value);
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
