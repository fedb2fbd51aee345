/**
 * A full run's table goes into README.md and bench/README.md between their result markers, so
 * the numbers people read are always the last full run's, with the machine that produced them.
 */
import { readFile, writeFile } from 'node:fs/promises';
import type { Machine } from './machine.js';
import { markdownTable } from './report.js';
import type { Figure } from './types.js';

export interface RunSummary {
  machine: Machine & { loadAverageAtEnd: number[] };
  startedAt: string;
  durationMs: number;
  figures: Figure[];
}

export function resultsBlock(run: RunSummary): string {
  const machine = run.machine;
  const when = `${run.startedAt.slice(0, 10)} ${run.startedAt.slice(11, 16)} UTC`;
  const busy = Math.max(...machine.loadAverage, ...machine.loadAverageAtEnd) > machine.cores;
  return [
    `Measured ${when} by \`npm run bench\` in ${Math.round(run.durationMs / 1000)} s on: **${machine.cpu}, ${machine.cores} cores, ${machine.memoryGiB} GiB RAM, Node ${machine.node.replace(/^v/, '')}, ${machine.platform} (kernel ${machine.kernel})**. ` +
      `Load average (1/5/15 min) ${machine.loadAverage.join(' / ')} at the start and ${machine.loadAverageAtEnd.join(' / ')} at the end${busy ? ': other work shared the cores, so times are on a busy machine' : ''}.`,
    '',
    markdownTable(run.figures),
    '',
    verdict(run.figures),
    '',
    'Notes (from the same run):',
    '',
    ...run.figures.filter((f) => f.note).map((f) => `- **${f.label}**: ${f.note}`),
  ].join('\n');
}

function verdict(figures: Figure[]): string {
  const missed = figures.filter((f) => f.met === false);
  const targets = figures.filter((f) => f.met !== null).length;
  return missed.length
    ? `**Missed in this run** (${missed.length} of ${targets} targets): ${missed.map((f) => f.label).join('; ')}.`
    : `Every target (${targets}) is met in this run.`;
}

/** Replaces what lies between `<!-- {marker}:start -->` and `<!-- {marker}:end -->`; false if the file has no such markers. */
export async function writeBetweenMarkers(file: string, marker: string, content: string): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const startAt = text.indexOf(start);
  const endAt = text.indexOf(end);
  if (startAt < 0 || endAt < startAt) return false;
  await writeFile(file, `${text.slice(0, startAt + start.length)}\n${content}\n${text.slice(endAt)}`);
  return true;
}
