/**
 * docs/google-behaviour.md is the list of Google rules the code relies on; each must point at
 * Google's documentation and at a test that exists. A `TBD(task)` row fails here on purpose.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parseRuleTables, rowProblems } from './google-behaviour-table.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const rows = parseRuleTables(readFileSync(new URL('../../docs/google-behaviour.md', import.meta.url), 'utf8'));

describe('docs/google-behaviour.md', () => {
  it('lists rules in every group the code depends on', () => {
    const sections = new Set(rows.map((row) => row.section));
    for (const section of [
      'Sheets values',
      'Sheets structure',
      'Sheets limits and quotas',
      'Drive files and versions',
      'Drive sharing and shared drives',
      'Drive changes and channels',
      'Errors and retries',
    ]) {
      expect(sections, section).toContain(section);
    }
    expect(rows.length).toBeGreaterThan(40);
  });

  it.each(rows.map((row) => [`line ${row.line}: ${row.rule.slice(0, 90)}`, row] as const))('%s', (_, row) => {
    expect(rowProblems(row, ROOT)).toEqual([]);
  });
});

describe('the table checker', () => {
  const table = [
    '## Group',
    "| Rule | Google's documentation | Emulator test |",
    '| --- | --- | --- |',
    '| good | [doc](https://developers.google.com/x) | test/emulators/sheets/units.test.ts > converts column letters both ways |',
    '| pending | [doc](https://developers.google.com/x) | TBD(layout) |',
    '| no link | developers.google.com/x | test/docs/google-behaviour.test.ts > lists rules in every group the code depends on |',
    '| wrong name | [doc](https://x.example/) | test/emulators/sheets/units.test.ts > converts column letters both way |',
    '| no file | [doc](https://x.example/) | test/nowhere.test.ts > anything |',
  ].join('\n');
  const parsed = parseRuleTables(table);

  it('accepts a complete row and names what is wrong with the others', () => {
    expect(parsed.map((row) => [row.rule, rowProblems(row, ROOT)])).toEqual([
      ['good', []],
      ['pending', ['test still to be named by task "layout"']],
      ['no link', ['no https link to the documentation']],
      ['wrong name', ['test/emulators/sheets/units.test.ts has no test named "converts column letters both way"']],
      ['no file', ['no test file test/nowhere.test.ts']],
    ]);
    expect(parsed[0]?.section).toBe('Group');
  });
});
