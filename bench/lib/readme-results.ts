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
  const m = run.machine;
  const when = `${run.startedAt.slice(0, 10)} ${run.startedAt.slice(11, 16)} UTC`;
  const busy = Math.max(...m.loadAverage, ...m.loadAverageAtEnd) > m.cores;
  return [
    `Measured ${when} by \`npm run bench\` in ${Math.round(run.durationMs / 1000)} s on: **${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB RAM, Node ${m.node.replace(/^v/, '')}, ${m.platform} (kernel ${m.kernel})**. ` +
      `Load average (1/5/15 min) ${m.loadAverage.join(' / ')} at the start and ${m.loadAverageAtEnd.join(' / ')} at the end${busy ? ': other work shared the cores, so times are on a busy machine' : ''}.`,
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
  return missed.length ? `**Missed in this run** (${missed.length} of ${targets} targets): ${missed.map((f) => f.label).join('; ')}.` : `Every target (${targets}) is met in this run.`;
}

/** Replaces what lies between `<!-- {marker}:start -->` and `<!-- {marker}:end -->`; false if the file has no such markers. */
export async function writeBetweenMarkers(file: string, marker: string, content: string): Promise<boolean> {
  const text = await readFile(file, 'utf8');
  const start = `<!-- ${marker}:start -->`;
  const end = `<!-- ${marker}:end -->`;
  const a = text.indexOf(start);
  const b = text.indexOf(end);
  if (a < 0 || b < a) return false;
  await writeFile(file, `${text.slice(0, a + start.length)}\n${content}\n${text.slice(b)}`);
  return true;
}
