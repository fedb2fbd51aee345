/**
 * Reads the rule tables of docs/google-behaviour.md and says what is wrong with each row: every
 * row needs an https link to Google's documentation (or a public thread) and a test written as
 * `path/to/file.test.ts > exact test name` that exists. `TBD(task)` is a test still to be named.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export interface RuleRow {
  line: number;
  section: string;
  rule: string;
  documentation: string;
  test: string;
}

export function parseRuleTables(markdown: string): RuleRow[] {
  const rows: RuleRow[] = [];
  let section = '';
  markdown.split('\n').forEach((text, index) => {
    const heading = /^##\s+(.*)$/.exec(text);
    if (heading) section = (heading[1] as string).trim();
    if (!text.startsWith('|')) return;
    const cells = text
      .replace(/^\|/, '')
      .replace(/\|\s*$/, '')
      .split('|')
      .map((cell) => cell.trim());
    if (cells[0] === 'Rule' || cells.every((cell) => /^-+$/.test(cell))) return;
    rows.push({
      line: index + 1,
      section,
      rule: cells[0] ?? '',
      documentation: cells[1] ?? '',
      test: cells.slice(2).join('|'),
    });
  });
  return rows;
}

/** What is wrong with a row ([] when nothing), checking test files under `root`. */
export function rowProblems(row: RuleRow, root: string): string[] {
  const problems: string[] = [];
  if (row.rule === '') problems.push('no rule text');
  if (!/\]\(https:\/\/[^)\s]+\)/.test(row.documentation)) problems.push('no https link to the documentation');
  const tbd = /^TBD\(([^)]*)\)$/.exec(row.test);
  if (tbd) return [...problems, `test still to be named by task "${tbd[1]}"`];
  const match = /^(\S+\.test\.ts) > (.+)$/.exec(row.test);
  if (!match) return [...problems, `test column is not "path > name": ${row.test}`];
  const [, path, name] = match as unknown as [string, string, string];
  const file = join(root, path);
  if (!existsSync(file)) return [...problems, `no test file ${path}`];
  const source = readFileSync(file, 'utf8');
  // The name as a test title is written: a whole string literal, in any of the three quotes.
  const written = ["'", '"', '`'].some((quote) => source.includes(`${quote}${name}${quote}`));
  if (!written) problems.push(`${path} has no test named "${name}"`);
  return problems;
}
