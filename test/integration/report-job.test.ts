/**
 * The round documents on Google (here the local stack: the functions over HTTP, the Drive emulator): the
 * job that writes the round documents into Drive. Scheduled, it writes a round once after its
 * due time; on demand (the master's button, or the job with a round) it rewrites them. Either
 * way each document is one file, replaced in place, never a second copy.
 */
import mammoth from 'mammoth';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { validSubmission } from '../helpers/fill-workbook.js';
import { LOCAL_SERVICE_ACCOUNT, pressSheetButton, provisionMaster, registerUnitSheets } from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const SK = 'so-ket-2020';

/**
 * The files a round's documents are, stated here independently of the code that writes them: the
 * consolidated table and the draft report always, one award list per award where the round takes
 * nominations, the activities where its units list them.
 */
function documentFileNames(model: CampaignModel, roundId: string): string[] {
  const tables = model.round(roundId).tables.map((id) => model.table(id));
  const names = [`bang-tong-hop-${roundId}.xlsx`, `bao-cao-tong-hop-${roundId}.docx`];
  if (tables.some((t) => t.kind === 'list' && t.role === 'nominations')) names.push(...model.campaign.awards.map((a) => `khen-thuong-${a.id}.xlsx`));
  if (tables.some((t) => t.kind === 'list' && t.role === 'activities')) names.push(`hoat-dong-${roundId}.xlsx`);
  return names;
}
let s: TestStack;

beforeAll(async () => {
  s = await startTestStack({ at: '2020-07-01T09:00:00+07:00' });
  await registerUnitSheets(s, SK, ['ubnd-ba-dinh']);
  await provisionMaster(s);
  s.clock.set('2020-07-10T09:00:00+07:00');
  const sub = validSubmission(s.runtime.model, 'ubnd-ba-dinh', SK);
  sub.outline['bao_cao']!['I.1'] = { content: 'Ba Đình: tình hình ổn định.' };
  await s.typeSubmission('ubnd-ba-dinh', SK, sub);
  const r = await s.process('ubnd-ba-dinh', SK);
  expect(r.outcome === 'processed' && r.accepted).toBe(true);
  await s.triggersIdle();
}, 120_000);
afterAll(async () => {
  await s.triggersIdle();
  await s.dispose();
});

/** Every file Drive holds under that name for this campaign (not trashed). */
const copiesOf = (name: string) => s.runtime.files.findByAppProperties({ campaignId: s.runtime.model.id, reportFile: name });

async function download(fileId: string): Promise<Buffer> {
  const res = await fetch(`${s.urls.sheets}drive/v3/files/${fileId}?alt=media`, { headers: { authorization: `Bearer ${LOCAL_SERVICE_ACCOUNT}` } });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function draftText(): Promise<string> {
  const [file] = await copiesOf(`bao-cao-tong-hop-${SK}.docx`);
  return (await mammoth.extractRawText({ buffer: await download(file!.id) })).value;
}

describe('publish-reports job', () => {
  it('scheduled: nothing before the due time, the round once after it, then nothing more', async () => {
    s.clock.set('2020-07-12T00:30:00+07:00');
    expect(await s.fire('publish-reports')).toEqual({ published: [] });

    s.clock.set(s.runtime.model.dueAt(SK) + 30 * 60_000);
    const first = (await s.fire('publish-reports')) as { published: { roundId: string; files: string[] }[] };
    expect(first.published).toEqual([{ roundId: SK, files: documentFileNames(s.runtime.model, SK) }]);
    for (const name of documentFileNames(s.runtime.model, SK)) expect(await copiesOf(name)).toHaveLength(1);
    expect(await draftText()).toContain(`${s.runtime.model.unit('ubnd-ba-dinh').name}: Ba Đình: tình hình ổn định.`);
    const recorded = (await s.runtime.store.meta('reports'))[SK]!;
    expect(recorded.files.map((f) => f.name)).toEqual(documentFileNames(s.runtime.model, SK));

    s.clock.set(s.runtime.model.dueAt(SK) + 86_400_000 + 30 * 60_000);
    expect(await s.fire('publish-reports')).toEqual({ published: [] });
  }, 120_000);

  it('on demand, twice: the same files are replaced in place, one copy each, with the new content', async () => {
    const before = Object.fromEntries(await Promise.all(documentFileNames(s.runtime.model, SK).map(async (n) => [n, (await copiesOf(n))[0]!.id] as const)));
    s.clock.set('2020-07-25T10:00:00+07:00');
    await s.fire('publish-reports', { round: SK });
    expect(await draftText()).toContain('Hà Nội, ngày 25 tháng 07 năm 2020');
    s.clock.set('2020-07-26T10:00:00+07:00');
    const master = (await s.runtime.store.meta('master')).spreadsheetId!;
    const pressed = await pressSheetButton(s, master);
    expect(pressed.status).toBe(200);
    expect((pressed.body as unknown as { outcome: string }).outcome).toBe('reports-published');
    for (const name of documentFileNames(s.runtime.model, SK)) {
      const copies = await copiesOf(name);
      expect(copies.map((c) => c.id)).toEqual([before[name]]);
    }
    expect(await draftText()).toContain('Hà Nội, ngày 26 tháng 07 năm 2020');
    // The master's button rewrites every round, the supplementary one too.
    const supplementary = s.runtime.model.campaign.rounds[1]!.id;
    for (const name of documentFileNames(s.runtime.model, supplementary)) expect(await copiesOf(name)).toHaveLength(1);

    // The master links them: its guide tab, once refreshed, has a link per file to the file's Drive page.
    await s.fire('refresh-master');
    const guide = s.sheets.getSpreadsheetState(master)!.sheets.find((t) => t.properties.title === 'Hướng dẫn')!;
    const formulas = guide.rows.flatMap((row) => (row ?? []).map((cell) => String(cell?.userEnteredValue?.formulaValue ?? ''))).filter((f) => f.startsWith('=HYPERLINK('));
    for (const name of documentFileNames(s.runtime.model, SK)) {
      const file = (await copiesOf(name))[0]!;
      expect(formulas, name).toContain(`=HYPERLINK("${file.webViewLink}","${name}")`);
    }
  }, 120_000);

  it('refuses an unknown round', async () => {
    await expect(s.fire('publish-reports', { round: 'khong-co' })).rejects.toThrow(/HTTP 400/);
  });
});
