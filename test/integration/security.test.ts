/**
 * Security: a sheet's identity is the registry, never what its cells say. A
 * spreadsheet that is not in the registry is ignored (and logged) and changes nothing; a
 * registered sheet whose hidden identity row claims another unit changes nothing of that unit
 * and gets the wrong-unit error; clients cannot reach Firestore at all (`firestore.rules`),
 * and the index configuration serves every query the store makes.
 */
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { processUnitSheet } from '../../functions/app/process-unit-sheet.js';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import {
  registerUnitSheets,
  requestsSince,
  sheetsAsOwner,
  seenCell,
  tabValues,
  writeCells,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const SO_KET = 'so-ket-2020';
const ROOT = new URL('../../', import.meta.url);

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
  await registerUnitSheets(stack, SO_KET, ['ubnd-hoan-kiem', 'ubnd-ba-dinh']);
  stack.clock.set('2020-07-10T09:00:00+07:00');
  await stack.typeSubmission('ubnd-hoan-kiem', SO_KET);
  expect((await stack.process('ubnd-hoan-kiem', SO_KET)).outcome).toBe('processed');
  await stack.triggersIdle();
  await stack.fire('poll-changes'); // the change feed is drained: what it holds next is the test's
}, 60_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

/** Every campaign document a sheet could influence. */
async function firestoreView() {
  const { store } = stack.runtime;
  return {
    states: await store.statesOfRound(SO_KET),
    submissions: await store.submissionsOfRound(SO_KET),
    aggregates: await store.aggregatesOfRound(SO_KET),
    aggregateParts: await store.aggregatePartsOfRound(SO_KET),
    nominees: await store.nomineeIndex(SO_KET),
    versions: await store.versions(SO_KET, 'ubnd-hoan-kiem'),
  };
}

describe('a spreadsheet that is not in the registry', () => {
  it('is ignored and logged, whether handed over directly or found in the change feed, and changes nothing', async () => {
    // A copy of a real unit sheet, complete and ticked: it looks right, but the registry does not know it.
    const hoanKiem = await stack.sheetOf('ubnd-hoan-kiem', SO_KET);
    const drive = (stack.runtime.files as unknown as { drive: import('@googleapis/drive').drive_v3.Drive }).drive;
    const copy = (await drive.files.copy({ fileId: hoanKiem, requestBody: { name: 'Bản sao – UBND quận Hoàn Kiếm' } }))
      .data.id!;
    await writeCells(sheetsAsOwner(stack), copy, 'Bảng 1', [{ row: 13, col: 2, value: 99999 }]);
    const before = await firestoreView();
    const since = requestsSince(stack);

    expect(await processUnitSheet(stack.runtime, copy)).toEqual({ outcome: 'ignored', reason: 'unregistered' });
    const polled = (await stack.fire('poll-changes')) as { outcomes: Record<string, number> };
    expect(polled.outcomes).toEqual({ ignored: 1 });

    expect(since((e) => e.spreadsheetId === copy)).toEqual([]); // not even read
    expect(
      stack.log.lines.filter(
        (l) => l.message === 'sheet not registered to a unit; ignored' && l.spreadsheetId === copy,
      ),
    ).toHaveLength(2);
    await stack.triggersIdle();
    expect(await firestoreView()).toEqual(before);
    expect(await stack.runtime.store.registration(copy)).toBeNull();
  });
});

describe('a sheet whose identity row claims another unit', () => {
  it('the clerk cannot edit the protected identity row', async () => {
    const baDinh = await stack.sheetOf('ubnd-ba-dinh', SO_KET);
    const { row, col } = identityCell(baDinh);
    const clerk = sheetsAs(stack.urls.sheets, 'ubnd-ba-dinh@hanoi.example');
    await expect(writeCells(clerk, baDinh, 'Hướng dẫn', [{ row, col, value: 'ubnd-hoan-kiem' }])).rejects.toMatchObject(
      { status: 400, message: expect.stringMatching(/protected/) },
    );
  });

  it('edited by the owner to say ubnd-hoan-kiem: nothing of Hoàn Kiếm changes, and the sheet gets the wrong-unit error', async () => {
    const baDinh = await stack.sheetOf('ubnd-ba-dinh', SO_KET);
    await stack.typeSubmission('ubnd-ba-dinh', SO_KET); // complete and ticked: it would be accepted if it were believed
    const { row, col } = identityCell(baDinh);
    await writeCells(sheetsAsOwner(stack), baDinh, 'Hướng dẫn', [{ row, col, value: 'ubnd-hoan-kiem' }]);
    const hoanKiemBefore = {
      state: await stack.runtime.store.state(SO_KET, 'ubnd-hoan-kiem'),
      submission: await stack.runtime.store.submission(SO_KET, 'ubnd-hoan-kiem'),
      node: await stack.runtime.store.aggregate(SO_KET, 'ubnd-hoan-kiem'),
    };
    const cityBefore = await stack.runtime.store.aggregate(SO_KET, 'ha-noi');

    const outcome = await stack.process('ubnd-ba-dinh', SO_KET);
    if (outcome.outcome !== 'processed') throw new Error(outcome.outcome);
    expect(outcome.unitId).toBe('ubnd-ba-dinh');
    const message =
      'Bảng tính này ghi là của "UBND quận Hoàn Kiếm", nhưng được cấp cho UBND quận Ba Đình. Số liệu chỉ được tính cho UBND quận Ba Đình; hãy dùng đúng bảng tính được cấp hoặc liên hệ Phòng Xây dựng phong trào bảo vệ ANTQ (Công an thành phố).';
    expect(
      outcome.evaluation.issues.filter((i) => i.severity === 'error').map((i) => [i.code, i.sheet, i.message]),
    ).toEqual([['structure.wrong_unit', 'Hướng dẫn', message]]);
    expect([outcome.evaluation.status, outcome.accepted, outcome.submission]).toEqual(['invalid', false, null]);

    await stack.triggersIdle();
    expect({
      state: await stack.runtime.store.state(SO_KET, 'ubnd-hoan-kiem'),
      submission: await stack.runtime.store.submission(SO_KET, 'ubnd-hoan-kiem'),
      node: await stack.runtime.store.aggregate(SO_KET, 'ubnd-hoan-kiem'),
    }).toEqual(hoanKiemBefore);
    expect(await stack.runtime.store.aggregate(SO_KET, 'ha-noi')).toEqual(cityBefore);
    expect(await stack.runtime.store.submission(SO_KET, 'ubnd-ba-dinh')).toBeNull();
    expect(await stack.runtime.store.state(SO_KET, 'ubnd-ba-dinh')).toMatchObject({
      unitId: 'ubnd-ba-dinh',
      status: 'invalid',
      errors: 1,
    });

    // At the sheet: the status line counts the error and its note explains it.
    const sheet = stack.sheets.getSpreadsheetState(baDinh)!;
    const status = seenCell(sheet, 'Hướng dẫn', 1, 2);
    expect(status.value).toBe('Còn 1 lỗi — chưa gửi được: hãy sửa các ô tô đỏ (di chuột vào ô để xem hướng dẫn).');
    expect(status.note).toBe(`Lỗi: ${message}`);
  });
});

function identityCell(spreadsheetId: string): { row: number; col: number } {
  const rows = tabValues(stack.sheets.getSpreadsheetState(spreadsheetId)!, 'Hướng dẫn');
  const row = rows.findIndex((r) => r.includes('#identity'));
  const col = rows[row]!.indexOf('#identity') + 1;
  expect(rows[row]![col]).toBe('ubnd-ba-dinh');
  return { row, col };
}

describe('Firestore configuration', () => {
  const code = (text: string) => text.replace(/\/\/.*$/gm, '').replace(/\/\*[\s\S]*?\*\//g, '');

  it('firestore.rules denies every client read and write', async () => {
    const rules = code(await readFile(new URL('firestore.rules', ROOT), 'utf8'));
    expect(rules).toMatch(/^\s*rules_version\s*=\s*'2'\s*;/);
    const matches = [...rules.matchAll(/match\s+(\S+)\s*\{/g)].map((m) => m[1]);
    expect(matches).toEqual(['/databases/{database}/documents', '/{document=**}']);
    const allows = [...rules.matchAll(/allow\s+([^:;]+?)\s*:\s*if\s+([^;]+);/g)].map((m) => [
      m[1]!.replace(/\s+/g, ''),
      m[2]!.trim(),
    ]);
    expect(allows).toEqual([['read,write', 'false']]);
    expect(rules.match(/\ballow\b/g)).toHaveLength(1);
    expect(rules.replace(/\s+/g, ' ').trim()).toBe(
      "rules_version = '2'; service cloud.firestore { match /databases/{database}/documents { match /{document=**} { allow read, write: if false; } } }",
    );
  });

  it('firebase.json wires the rules and indexes, and the indexes serve every query the code makes', async () => {
    const firebase = JSON.parse(await readFile(new URL('firebase.json', ROOT), 'utf8'));
    expect(firebase.firestore).toMatchObject({ rules: 'firestore.rules', indexes: 'firestore.indexes.json' });
    const indexes = JSON.parse(await readFile(new URL('firestore.indexes.json', ROOT), 'utf8')) as {
      indexes: unknown[];
      fieldOverrides: { collectionGroup: string; fieldPath: string; indexes: unknown[] }[];
    };
    // Every query filters or orders on one field, so Firestore's automatic single-field indexes serve it: no composite index.
    expect(indexes.indexes).toEqual([]);
    const sources = await Promise.all(
      ['functions/adapters/firestore-store.ts', 'functions/app/master.ts', 'functions/app/sweep.ts'].map((f) =>
        readFile(new URL(f, ROOT), 'utf8'),
      ),
    );
    const queries = sources.flatMap((src) =>
      [
        ...src.matchAll(
          /(?:col\('(\w+)'\)|collection\('(\w+)'\)|(\w+)Collection\(\))((?:\.(?:where|orderBy)\('[^']+'[^)]*\))+)/g,
        ),
      ].map((m) => ({
        collection: m[1] ?? m[2] ?? m[3]!,
        fields: [...m[4]!.matchAll(/\.(?:where|orderBy)\('([^']+)'/g)].map((f) => f[1]!),
      })),
    );
    expect(queries.map((q) => `${q.collection}:${q.fields.join('+')}`)).toEqual(
      expect.arrayContaining([
        'aggregates:roundId',
        'flags:roundId',
        'states:roundId',
        'submissions:roundId',
        'versions:versionNo',
      ]),
    );
    for (const query of queries)
      expect(new Set(query.fields).size, `${query.collection} needs a composite index`).toBe(1);
    // Large maps nobody queries are kept out of the automatic indexes; no queried field is.
    for (const override of indexes.fieldOverrides) {
      expect(override.indexes).toEqual([]);
      expect(
        queries.some(
          (q) =>
            q.collection.toLowerCase() === override.collectionGroup.toLowerCase() &&
            q.fields.includes(override.fieldPath),
        ),
      ).toBe(false);
    }
    expect(indexes.fieldOverrides).toContainEqual({ collectionGroup: 'aggregates', fieldPath: 'ledger', indexes: [] });
    expect(indexes.fieldOverrides).toContainEqual({
      collectionGroup: 'aggregateParts',
      fieldPath: 'totals',
      indexes: [],
    });
  });
});
