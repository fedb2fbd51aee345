/**
 * The project's ESLint rule no-short-names, run through the real eslint.config.js: a name of one
 * or two letters is reported where a reader must remember what it holds (a const, a parameter of a
 * function with a body, a class member), and left alone in a tiny lambda, as a `for` loop counter
 * and for the few conventional names the rule allows.
 */
import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
// The snippets exist only in memory: the type-aware rules, which need the file in the
// TypeScript program, are switched off for them; everything else is the project's config.
const SNIPPET_PATH = 'test/lint/snippet.ts';

let eslint: ESLint;
beforeAll(() => {
  eslint = new ESLint({
    cwd: ROOT,
    overrideConfigFile: 'eslint.config.js',
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off', '@typescript-eslint/no-misused-promises': 'off' },
    },
  });
});

async function shortNamesIn(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: SNIPPET_PATH });
  const messages = result!.messages;
  // A parse error would make every expectation below pass for the wrong reason.
  expect(messages.filter((message) => message.fatal)).toEqual([]);
  return messages
    .filter((message) => message.ruleId === 'local/no-short-names')
    .map((message) => /^'([^']+)'/.exec(message.message)![1]!);
}

describe('no-short-names', () => {
  it('reports a short const and a short parameter of a function with a body', async () => {
    const code = ['export const ab = 1;', 'export function total(q: number): number {', '  return q * ab;', '}'].join(
      '\n',
    );
    expect(await shortNamesIn(code)).toEqual(['ab', 'q']);
  });

  it('reports the parameters of an arrow function with a block body, and destructured names', async () => {
    const code = ['export const pick = (r: { a: number }) => {', '  const { a } = r;', '  return a;', '};'].join('\n');
    expect(await shortNamesIn(code)).toEqual(['r', 'a']);
  });

  it('reports short class members and function names', async () => {
    const code = [
      'export class Box {',
      '  w = 1;',
      '  hw(): number {',
      '    return this.w;',
      '  }',
      '}',
      'export function fn(): void {}',
    ].join('\n');
    expect(await shortNamesIn(code)).toEqual(['w', 'hw', 'fn']);
  });

  it('leaves a tiny lambda alone', async () => {
    const code = [
      'const rows = [{ id: 1 }, { id: 2 }];',
      'export const ids = rows.map((r) => r.id);',
      'export const sorted = [3, 1, 2].sort((a, b) => a - b);',
    ].join('\n');
    expect(await shortNamesIn(code)).toEqual([]);
  });

  it('allows i, j, k as counters of a for statement only', async () => {
    const code = [
      'let total = 0;',
      'for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) total += i * j;',
      'export const k = total;',
    ].join('\n');
    expect(await shortNamesIn(code)).toEqual(['k']);
  });

  it('allows the conventional names of its short list', async () => {
    const code = [
      'export function move(id: string, x: number, y: number, at: Date): string {',
      '  const ok = x > 0 && y > 0;',
      '  return `${id} ${ok} ${at.toISOString()}`;',
      '}',
    ].join('\n');
    expect(await shortNamesIn(code)).toEqual([]);
  });
});
