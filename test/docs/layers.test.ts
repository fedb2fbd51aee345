/**
 * The layer rule of DEVELOPERS.md "Layout" holds on the tree (dependencies point inward: core ←
 * layout ← app ← adapters, handlers), and the check that enforces it (`npm run lint:layers`)
 * fails on the violations it exists to catch, written into a throwaway tree laid out like ours.
 */
import { mkdtempSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkLayers, layerOf } from '../../scripts/check-layers.js';

let fixture: string | null = null;

function treeWith(files: Record<string, string>): string {
  fixture = mkdtempSync(join(tmpdir(), 'layers-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(fixture, path)), { recursive: true });
    writeFileSync(join(fixture, path), text);
  }
  return fixture;
}

afterEach(() => {
  if (fixture) rmSync(fixture, { recursive: true, force: true });
  fixture = null;
});

describe('layers point inward', () => {
  it('holds on the repository', () => {
    expect(checkLayers(process.cwd())).toEqual([]);
  });

  it('places files in their layer by folder', () => {
    expect(
      [
        'functions/core/a.ts',
        'functions/app/ports.ts',
        'functions/index.ts',
        'sheets-schema/index.ts',
        'scripts/cli.ts',
      ].map(layerOf),
    ).toEqual(['core', 'app', 'root', 'schema', null]);
  });

  it('fails when core imports an adapter, even a type only', () => {
    const root = treeWith({
      'functions/adapters/store.ts': 'export class Store {}\n',
      'functions/core/rules.ts':
        "/** no import '../adapters/x.js' here: a comment */\nimport type { Store } from '../adapters/store.js';\nexport type S = Store;\n",
    });
    expect(checkLayers(root)).toEqual([
      {
        file: 'functions/core/rules.ts',
        line: 2,
        specifier: '../adapters/store.js',
        message: expect.stringContaining('core must not import adapters'),
      },
    ]);
  });

  it('finds an import anywhere in a file, after any code (the whole syntax tree is read)', () => {
    // Appended to a1.ts, an import was missed by TypeScript's quick pre-processor (ts.preProcessFile); the tree is read instead.
    const real = readFileSync('functions/core/a1.ts', 'utf8');
    const root = treeWith({
      'functions/core/a1.ts': `${real}\nimport type { Store } from '../app/ports.js';\n`,
      'functions/app/ports.ts': 'export interface Store {}\n',
    });
    expect(checkLayers(root).map((v) => v.specifier)).toEqual(['../app/ports.js']);
  });

  it('fails when app imports an adapter or a handler, or names a client library, and when an adapter imports a handler', () => {
    const root = treeWith({
      'functions/app/use-case.ts':
        "import { x } from '../adapters/drive.js';\nexport { y } from '../handlers/auth.js';\nconst later = () => import('@google-cloud/firestore');\n",
      'functions/adapters/drive.ts': "import { y } from '../handlers/auth.js';\nexport const x = y;\n",
      'functions/handlers/auth.ts': "import { x } from '../app/use-case.js';\nexport const y = 1;\n",
    });
    expect(checkLayers(root).map((v) => `${v.file}:${v.line} ${v.specifier}`)).toEqual([
      'functions/adapters/drive.ts:1 ../handlers/auth.js',
      'functions/app/use-case.ts:1 ../adapters/drive.js',
      'functions/app/use-case.ts:2 ../handlers/auth.js',
      'functions/app/use-case.ts:3 @google-cloud/firestore',
    ]);
  });

  it('lets the composition root import every layer, and handlers the root', () => {
    const root = treeWith({
      'functions/wiring.ts': "import { x } from './adapters/drive.js';\nimport { y } from './handlers/auth.js';\n",
      'functions/adapters/drive.ts':
        "import type { Files } from '../app/ports.js';\nimport { drive } from '@googleapis/drive';\n",
      'functions/handlers/auth.ts': "import { createDependencies } from '../wiring.js';\n",
      'functions/app/ports.ts': "import type { Grid } from '../core/grid.js';\n",
      'functions/core/grid.ts': "import type { Campaign } from '../../sheets-schema/campaign-schema.js';\n",
    });
    expect(checkLayers(root)).toEqual([]);
  });
});
