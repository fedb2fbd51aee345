/**
 * The bad-input corpus (corpus/bad-inputs.ts) played against live unit
 * sheets. Every unit in the corpus first has a valid submission accepted (09:00 10/07/2020);
 * then its case changes the sheet through the Sheets API (the clerk typing, or the owner
 * changing the structure), and the change reaches the system through a handler: the sheet's
 * signed button (sheetAction) or a Drive push to driveWebhook and the poll it triggers.
 * For each case: the handler answers 2xx; the expected issues are stored with their rule
 * code, tab and cell and a Vietnamese message naming the cell or tab and saying what to do;
 * the same message is the note on that cell in the sheet and the status line says the
 * accepted version still stands; the unit's accepted submission, a witness unit's data and
 * the consolidated totals are unchanged. At the end no handler logged an error and no unit's
 * submission or aggregate moved.
 *
 * One stack for the file; each case has a unit (and sheet) of its own, so a deleted or
 * duplicated tab never leaks into the next case.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sheetsAs } from '../../scripts/local-stack/clerk.js';
import { unitsOfKind } from '../helpers/campaign.js';
import {
  aggregateMeaning,
  pressSheetButton,
  pushAndPoll,
  registerUnitSheets,
  seenCell,
  sheetsAsOwner,
} from '../helpers/integration.js';
import type { AggregateRecord } from '../../functions/app/records.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';
import { BAD_INPUTS, type BadInputCase } from './corpus/bad-inputs.js';
import { addressOf, applyOp, resolve } from './corpus/operations.js';

const SO_KET = 'so-ket-2020';
const BO_SUNG = 'bo-sung-2020';
const START_AT = '2020-07-10T09:00:00+07:00';
/** Units no case touches: their data must never change. */
const WITNESS: Record<string, string> = { [SO_KET]: 'ubnd-ba-dinh', [BO_SUNG]: 'ubnd-ba-dinh' };
const witnessOf = (roundId: string) => WITNESS[roundId]!;
const IN_FORCE = 'Bản đã gửi lúc 09:00 10/07/2020 vẫn có hiệu lực.';

let stack: TestStack;
const slotOf = new Map<string, { unitId: string; roundId: string; spreadsheetId: string }>();
let initial: { submissions: unknown; aggregates: unknown };

/** Each case gets the next unit of its pool. */
function allocate(cases: BadInputCase[]): Map<string, { unitId: string; roundId: string }> {
  const model = stack.runtime.model;
  const pools = {
    'so-ket': [...unitsOfKind(model, 'district'), ...unitsOfKind(model, 'sector')]
      .filter((u) => u !== witnessOf(SO_KET))
      .map((unitId) => ({ unitId, roundId: SO_KET })),
    police: unitsOfKind(model, 'district-police').map((unitId) => ({ unitId, roundId: SO_KET })),
    'bo-sung': [...unitsOfKind(model, 'district'), ...unitsOfKind(model, 'sector')]
      .filter((u) => u !== witnessOf(BO_SUNG))
      .map((unitId) => ({ unitId, roundId: BO_SUNG })),
  };
  const out = new Map<string, { unitId: string; roundId: string }>();
  for (const corpusCase of cases) {
    const next = pools[corpusCase.slot].shift();
    if (!next) throw new Error(`no unit left in the ${corpusCase.slot} pool for ${corpusCase.id}`);
    out.set(corpusCase.id, next);
  }
  return out;
}

const byNode = <T extends { nodeId?: string; unitId?: string }>(xs: T[]) =>
  [...xs].sort((a, b) => String(a.nodeId ?? a.unitId).localeCompare(String(b.nodeId ?? b.unitId)));
async function everything() {
  const { store } = stack.runtime;
  return {
    submissions: byNode([...(await store.submissionsOfRound(SO_KET)), ...(await store.submissionsOfRound(BO_SUNG))]),
    aggregates: byNode([...(await store.aggregatesOfRound(SO_KET)), ...(await store.aggregatesOfRound(BO_SUNG))]),
  };
}

beforeAll(async () => {
  stack = await startTestStack({ at: START_AT });
  const slots = allocate(BAD_INPUTS);
  for (const roundId of [SO_KET, BO_SUNG]) {
    const units = [
      ...new Set([
        ...[...slots.values()].filter((x) => x.roundId === roundId).map((x) => x.unitId),
        witnessOf(roundId),
      ]),
    ];
    const ids = await registerUnitSheets(stack, roundId, units);
    for (const unitId of units) {
      await stack.typeSubmission(unitId, roundId);
      const outcome = await stack.process(unitId, roundId);
      if (outcome.outcome !== 'processed' || !outcome.accepted)
        throw new Error(
          `${unitId}/${roundId} was not accepted: ${JSON.stringify(outcome.outcome === 'processed' ? outcome.evaluation.issues.slice(0, 3) : outcome)}`,
        );
    }
    for (const [id, slot] of slots)
      if (slot.roundId === roundId) slotOf.set(id, { ...slot, spreadsheetId: ids[slot.unitId]! });
  }
  await stack.triggersIdle();
  await stack.fire('poll-changes'); // the feed is drained: what it holds next is the cases'
  initial = await everything();
}, 120_000);

afterAll(async () => {
  await stack?.triggersIdle();
  await stack?.dispose();
});

const escapeRe = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const withCell = (re: RegExp, cell: string | null) =>
  new RegExp(cell === null ? re.source : re.source.replaceAll('{cell}', escapeRe(cell)), re.flags);
/** "C14" or "C14:D14" → the 0-based position of its first cell. */
function position(address: string): { row: number; col: number } {
  const match = /^([A-Z]+)(\d+)/.exec(address)!;
  const col = [...match[1]!].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
  return { row: Number(match[2]) - 1, col };
}

describe('the bad-input corpus', () => {
  it('has at least 40 distinct kinds, values and structure, each with a Vietnamese description', () => {
    expect(new Set(BAD_INPUTS.map((c) => c.id)).size).toBe(BAD_INPUTS.length);
    expect(BAD_INPUTS.length).toBeGreaterThanOrEqual(40);
    expect(BAD_INPUTS.filter((c) => c.kind === 'value').length).toBeGreaterThanOrEqual(25);
    expect(BAD_INPUTS.filter((c) => c.kind === 'structure').length).toBeGreaterThanOrEqual(15);
    for (const badInput of BAD_INPUTS) expect(badInput.description, badInput.id).toMatch(/[àáảãạăâđèéêìíòóôơùúưỳý]/i);
    // Both ways in are exercised.
    expect(new Set(BAD_INPUTS.map((c) => c.deliver))).toEqual(new Set(['button', 'push']));
  });

  it.each(BAD_INPUTS.map((c) => [`${c.id} — ${c.description}`, c] as const))('%s', async (_name, badInput) => {
    const { store, workbooks, model } = stack.runtime;
    const { unitId, roundId, spreadsheetId } = slotOf.get(badInput.id)!;
    const witness = WITNESS[roundId]!;
    const snapshot = async () => ({
      own: await store.submission(roundId, unitId),
      ownVersions: (await store.versions(roundId, unitId)).length,
      witness: { state: await store.state(roundId, witness), submission: await store.submission(roundId, witness) },
      city: await store.aggregate(roundId, 'ha-noi'),
    });
    const before = await snapshot();
    expect(before.own?.versionCount).toBe(1);

    // Where things are, as the clerk sees the sheet before the change.
    const { grid, sheetIds } = await workbooks.read(spreadsheetId);
    const expected = badInput.expect.map((e) => ({
      ...e,
      address: e.cell === null ? null : typeof e.cell === 'string' ? e.cell : addressOf(resolve(grid, e.cell)),
    }));
    const clients = { clerk: sheetsAs(stack.urls.sheets, model.unit(unitId).emails[0]!), owner: sheetsAsOwner(stack) };
    for (const operation of badInput.apply) await applyOp(clients, spreadsheetId, grid, sheetIds, operation);

    // Through a handler, as in production.
    if (badInput.deliver === 'button') {
      const response = await pressSheetButton(stack, spreadsheetId);
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ outcome: 'processed' });
    } else {
      const response = await pushAndPoll(stack);
      expect(response.status).toBe(202);
      expect(response.polled?.status).toBe('polled');
      expect(response.polled?.outcomes.processed).toBe(1);
      expect(Object.keys(response.polled!.outcomes).every((k) => k === 'processed' || k === 'unchanged')).toBe(true);
    }
    await stack.triggersIdle();

    // The issues, where they are, with their messages.
    const state = (await store.state(roundId, unitId))!;
    for (const error of expected) {
      const found = state.issues.filter(
        (i) => i.code === error.code && i.sheet === error.tab && i.cell === error.address,
      );
      expect(
        found,
        `${error.code} at ${error.tab}!${error.address} among ${JSON.stringify(state.issues.slice(0, 5))}`,
      ).toHaveLength(1);
      const issue = found[0]!;
      expect(issue.severity).toBe(error.severity);
      expect(issue.message, issue.message).toMatch(withCell(error.message, error.address));
      // It names the cell (or the tab, or the workbook) and says what to do.
      if (error.address) expect(issue.message).toContain(error.address.split(':')[0]);
      else expect(issue.message).toMatch(new RegExp(`"${escapeRe(error.tab)}"|^Bảng tính này|dòng ẩn ở trang`));
      expect(issue.message).toMatch(/[Hh]ãy |Chỉ nhập |cần có /);
    }
    const allowed = new Set([...badInput.expect.map((e) => e.code), ...(badInput.alsoAllowed ?? [])]);
    const unexpected = state.issues.filter((i) => !allowed.has(i.code)).map((i) => [i.code, i.cell, i.message]);
    expect(unexpected, JSON.stringify(unexpected)).toEqual([]);
    const hasError = badInput.expect.some((e) => e.severity === 'error');
    const onNominee = badInput.judged === 'nominee';
    expect(state.status).toBe(hasError && !onNominee ? 'invalid' : 'ready');

    // In the sheet: the note on each cell, the status line saying the accepted version stands.
    const sheet = stack.sheets.getSpreadsheetState(spreadsheetId)!;
    for (const error of expected) {
      if (!error.address) continue;
      const { row, col } = position(error.address);
      expect(seenCell(sheet, error.tab, row, col).note, `note at ${error.tab}!${error.address}`).toContain(
        state.issues.find((i) => i.code === error.code && i.cell === error.address)!.message,
      );
    }
    const status = seenCell(sheet, 'Hướng dẫn', 1, 2).value;
    if (onNominee) expect(status).toMatch(/^Đã gửi lúc .*Đề nghị khen thưởng: 1 đối tượng cần xem lại/);
    else if (hasError) expect(status).toMatch(new RegExp(`^Còn \\d+ lỗi.* ${escapeRe(IN_FORCE)}$`));
    else expect(status).toMatch(/^Đã gửi lúc 09:00 10\/07\/2020, \d+ cảnh báo\.$/);

    const after = await snapshot();
    if (onNominee) {
      // The report counts as it is: the edit is a new version, with the nominee's verdict on it;
      // nobody else's figures move.
      expect(after.ownVersions).toBe(before.ownVersions + 1);
      expect(after.own?.nominations.some((n) => n.verdict !== undefined && n.verdict !== 'ok')).toBe(true);
      // The city's figures: the same totals and contributors (only the sequence numbers of the
      // unit's new version moved through it).
      expect({ witness: after.witness, city: aggregateMeaning([after.city!]) }).toEqual({
        witness: before.witness,
        city: aggregateMeaning([before.city!]),
      });
    } else {
      // Nothing accepted moved: the unit's submission and history, the witness, the city.
      expect(after).toEqual(before);
    }
  });

  it('no handler logged an error, and no unit’s submission or aggregate changed over the whole corpus', async () => {
    await stack.triggersIdle();
    expect(stack.log.lines.filter((l) => l.severity === 'ERROR')).toEqual([]);
    // Apart from the units whose edits were a nominee's problem (accepted as new versions).
    const judgedApart = new Set(BAD_INPUTS.filter((c) => c.judged === 'nominee').map((c) => slotOf.get(c.id)!.unitId));
    const others = (e: Awaited<ReturnType<typeof everything>>) => ({
      submissions: (e.submissions as { unitId: string }[]).filter((x) => !judgedApart.has(x.unitId)),
      aggregates: aggregateMeaning(e.aggregates as AggregateRecord[]),
    });
    expect(judgedApart.size).toBeGreaterThan(0);
    expect(others(await everything())).toEqual(others(initial as Awaited<ReturnType<typeof everything>>));
    expect((initial.submissions as unknown[]).length).toBe(BAD_INPUTS.length + 2);
  });
});
