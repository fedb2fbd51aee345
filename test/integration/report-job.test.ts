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
import {
  LOCAL_SERVICE_ACCOUNT,
  pressSheetButton,
  provisionMaster,
  registerUnitSheets,
} from '../helpers/integration.js';
import { startTestStack, type TestStack } from '../helpers/stack.js';

const SO_KET = 'so-ket-2020';

/**
 * The files a round's documents are, stated here independently of the code that writes them: the
 * consolidated table and the draft report always, one award list per award where the round takes
 * nominations, the activities where its units list them.
 */
function documentFileNames(model: CampaignModel, roundId: string): string[] {
  const tables = model.round(roundId).tables.map((id) => model.table(id));
  const names = [`bang-tong-hop-${roundId}.xlsx`, `bao-cao-tong-hop-${roundId}.docx`];
  if (tables.some((t) => t.kind === 'list' && t.role === 'nominations'))
    names.push(...model.campaign.awards.map((a) => `khen-thuong-${a.id}.xlsx`));
  if (tables.some((t) => t.kind === 'list' && t.role === 'activities')) names.push(`hoat-dong-${roundId}.xlsx`);
  return names;
}
let stack: TestStack;

beforeAll(async () => {
  stack = await startTestStack({ at: '2020-07-01T09:00:00+07:00' });
  await registerUnitSheets(stack, SO_KET, ['ubnd-ba-dinh']);
  await provisionMaster(stack);
  stack.clock.set('2020-07-10T09:00:00+07:00');
  const sub = validSubmission(stack.runtime.model, 'ubnd-ba-dinh', SO_KET);
  sub.outline['bao_cao']!['I.1'] = { content: 'Ba Đình: tình hình ổn định.' };
  await stack.typeSubmission('ubnd-ba-dinh', SO_KET, sub);
  const outcome = await stack.process('ubnd-ba-dinh', SO_KET);
  expect(outcome.outcome === 'processed' && outcome.accepted).toBe(true);
  await stack.triggersIdle();
}, 120_000);
afterAll(async () => {
  await stack.triggersIdle();
  await stack.dispose();
});

/** Every file Drive holds under that name for this campaign (not trashed). */
const copiesOf = (name: string) =>
  stack.runtime.files.findByAppProperties({ campaignId: stack.runtime.model.id, reportFile: name });

async function download(fileId: string): Promise<Buffer> {
  const res = await fetch(`${stack.urls.sheets}drive/v3/files/${fileId}?alt=media`, {
    headers: { authorization: `Bearer ${LOCAL_SERVICE_ACCOUNT}` },
  });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

async function draftText(): Promise<string> {
  const [file] = await copiesOf(`bao-cao-tong-hop-${SO_KET}.docx`);
  return (await mammoth.extractRawText({ buffer: await download(file!.id) })).value;
}

describe('publish-reports job', () => {
  it('scheduled: nothing before the due time, the round once after it, then nothing more', async () => {
    stack.clock.set('2020-07-12T00:30:00+07:00');
    expect(await stack.fire('publish-reports')).toEqual({ published: [] });

    stack.clock.set(stack.runtime.model.dueAt(SO_KET) + 30 * 60_000);
    const first = (await stack.fire('publish-reports')) as { published: { roundId: string; files: string[] }[] };
    expect(first.published).toEqual([{ roundId: SO_KET, files: documentFileNames(stack.runtime.model, SO_KET) }]);
    for (const name of documentFileNames(stack.runtime.model, SO_KET)) expect(await copiesOf(name)).toHaveLength(1);
    expect(await draftText()).toContain(
      `${stack.runtime.model.unit('ubnd-ba-dinh').name}: Ba Đình: tình hình ổn định.`,
    );
    const recorded = (await stack.runtime.store.meta('reports'))[SO_KET]!;
    expect(recorded.files.map((f) => f.name)).toEqual(documentFileNames(stack.runtime.model, SO_KET));

    stack.clock.set(stack.runtime.model.dueAt(SO_KET) + 86_400_000 + 30 * 60_000);
    expect(await stack.fire('publish-reports')).toEqual({ published: [] });
  }, 120_000);

  it('on demand, twice: the same files are replaced in place, one copy each, with the new content', async () => {
    const before = Object.fromEntries(
      await Promise.all(
        documentFileNames(stack.runtime.model, SO_KET).map(async (n) => [n, (await copiesOf(n))[0]!.id] as const),
      ),
    );
    stack.clock.set('2020-07-25T10:00:00+07:00');
    await stack.fire('publish-reports', { round: SO_KET });
    expect(await draftText()).toContain('Hà Nội, ngày 25 tháng 07 năm 2020');
    stack.clock.set('2020-07-26T10:00:00+07:00');
    const master = (await stack.runtime.store.meta('master')).spreadsheetId!;
    const pressed = await pressSheetButton(stack, master);
    expect(pressed.status).toBe(200);
    expect((pressed.body as unknown as { outcome: string }).outcome).toBe('reports-published');
    for (const name of documentFileNames(stack.runtime.model, SO_KET)) {
      const copies = await copiesOf(name);
      expect(copies.map((c) => c.id)).toEqual([before[name]]);
    }
    expect(await draftText()).toContain('Hà Nội, ngày 26 tháng 07 năm 2020');
    // The master's button rewrites every round, the supplementary one too.
    const supplementary = stack.runtime.model.campaign.rounds[1]!.id;
    for (const name of documentFileNames(stack.runtime.model, supplementary))
      expect(await copiesOf(name)).toHaveLength(1);

    // The master links them: its guide tab, once refreshed, has a link per file to the file's Drive page.
    await stack.fire('refresh-master');
    const guide = stack.sheets.getSpreadsheetState(master)!.sheets.find((t) => t.properties.title === 'Hướng dẫn')!;
    const formulas = guide.rows
      .flatMap((row) => (row ?? []).map((cell) => String(cell?.userEnteredValue?.formulaValue ?? '')))
      .filter((f) => f.startsWith('=HYPERLINK('));
    for (const name of documentFileNames(stack.runtime.model, SO_KET)) {
      const file = (await copiesOf(name))[0]!;
      expect(formulas, name).toContain(`=HYPERLINK("${file.webViewLink}","${name}")`);
    }
  }, 120_000);

  it('keeps every document in one folder "Hồ sơ gửi đi" beside the master, however often it publishes', async () => {
    const folders = await stack.runtime.files.findByAppProperties({
      campaignId: stack.runtime.model.id,
      documentsFolder: 'true',
    });
    expect(folders).toHaveLength(1);
    const folder = stack.sheets.getDriveFileState(folders[0]!.id)!;
    expect([folder.name, folder.mimeType]).toEqual(['Hồ sơ gửi đi', 'application/vnd.google-apps.folder']);
    const master = stack.sheets.getDriveFileState((await stack.runtime.store.meta('master')).spreadsheetId!)!;
    expect(folder.parents).toEqual(master.parents);
    for (const round of stack.runtime.model.campaign.rounds)
      for (const name of documentFileNames(stack.runtime.model, round.id)) {
        const [file] = await copiesOf(name);
        expect(stack.sheets.getDriveFileState(file!.id)!.parents, name).toEqual([folder.id]);
      }
  });

  it('refuses an unknown round', async () => {
    await expect(stack.fire('publish-reports', { round: 'khong-co' })).rejects.toThrow(/HTTP 400/);
  });
});
