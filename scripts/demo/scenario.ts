/**
 * The demo campaign: every unit's behaviour over simulated weeks, derived from the schema and
 * a seed. Most units submit on time, some late, some never; four show typical mistakes
 * (text in a number cell, a part larger than its total, a nominee over quota, an ineligible
 * nominee), the first two corrected later, the last two left for the reminders to chase.
 */
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { startOfCivilDate } from '../../functions/core/time.js';
import type { Entry } from '../local-stack/clerk.js';
import {
  confirmationEntries,
  exampleEntries,
  figureEntries,
  nominationEntries,
  outlineEntries,
  planNominations,
  seedOf,
  type NomineePlan,
} from './generate.js';
import { seededRandom, type Rng } from '../local-stack/seeded-random.js';

export interface DemoEdit {
  id: string;
  at: number;
  unitId: string;
  roundId: string;
  entries: Entry[];
  note: string;
}

export type Behaviour =
  'on-time' | 'late' | 'draft' | 'empty' | 'text-in-number' | 'part-over-total' | 'over-quota' | 'ineligible';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

/** Replaces the value of the first entry matching `pick`. */
function mutate(entries: Entry[], pick: (e: Entry) => boolean, value: Entry['value']): Entry[] {
  const index = entries.findIndex(pick);
  return index < 0 ? entries : entries.map((e, j) => (j === index ? ({ ...e, value } as Entry) : e));
}

export function demoScenario(
  model: CampaignModel,
  seed = 521,
): { edits: DemoEdit[]; behaviours: Map<string, Behaviour>; startsAt: number } {
  const timeZone = model.timeZone;
  const rounds = model.campaign.rounds;
  const first = rounds[0]!;
  const startsAt = startOfCivilDate(first.dataWindow.to, timeZone) + 8 * HOUR; // the morning after the data window closes
  const edits: DemoEdit[] = [];
  const behaviours = new Map<string, Behaviour>();

  rounds.forEach((round, roundIndex) => {
    const rng = seededRandom(seed + roundIndex);
    const dueAt = model.dueAt(round.id);
    const open = Math.max(startsAt + HOUR, dueAt - 14 * DAY);
    const units = model.campaign.units.filter((u) => model.isExpected(u.id, round.id));
    // Showcase mistakes go to the units that fill the most tables (districts in 2020).
    const rich = units.filter((u) => model.tablesFor(u.id, round.id).length >= 3);
    const showcase: Behaviour[] =
      roundIndex === 0 ? ['text-in-number', 'part-over-total', 'over-quota', 'ineligible'] : ['text-in-number'];
    units.forEach((unit) => {
      const showIndex = rich.indexOf(unit);
      const draw = rng();
      const behaviour: Behaviour =
        showIndex >= 0 && showIndex < showcase.length
          ? showcase[showIndex]!
          : draw < 0.62
            ? 'on-time'
            : draw < 0.78
              ? 'late'
              : draw < 0.92
                ? 'draft'
                : 'empty';
      behaviours.set(`${round.id}/${unit.id}`, behaviour);
      const urng: Rng = seededRandom(seedOf(`${seed}/${round.id}/${unit.id}`));
      const size = 0.6 + urng();
      const figures = figureEntries(model, unit.id, round.id, size, urng);
      const outline = outlineEntries(model, unit.id, round.id, urng);
      const examples = exampleEntries(model, unit.id, round.id, urng);
      let plan: NomineePlan[] = planNominations(model, unit.id, urng);
      if (behaviour === 'over-quota') {
        const award = model.campaign.cityShortlist.award;
        const scope = model.kindOf(unit.id).nominates[0] ?? 'outside';
        plan = [
          ...plan.filter((n) => n.award !== award),
          { award, type: 'collective', scope },
          { award, type: 'individual', scope },
        ];
      }
      if (behaviour === 'ineligible' && plan.length)
        plan = plan.map((n, i) => (i === 0 ? { ...n, ineligible: true } : n));
      const nominations = nominationEntries(model, unit.id, round.id, plan, urng);
      const rest = [...outline, ...examples, ...nominations];
      const edit = (at: number, entries: Entry[], note: string) =>
        entries.length &&
        edits.push({
          id: `${round.id}/${unit.id}/${edits.length}`,
          at: Math.round(at),
          unitId: unit.id,
          roundId: round.id,
          entries,
          note,
        });
      const between = (from: number, to: number) => from + urng() * (to - from);
      const firstFigure = (e: Entry) => e.kind === 'figure';
      switch (behaviour) {
        case 'empty':
          break;
        case 'draft':
          edit(
            between(open, dueAt - 3 * DAY),
            figures.slice(0, Math.ceil(figures.length / 2)),
            'bắt đầu nhập, chưa xong',
          );
          break;
        case 'on-time':
        case 'late': {
          const finish =
            behaviour === 'on-time'
              ? between(dueAt - 6 * DAY, dueAt - 2 * HOUR)
              : between(dueAt + 8 * HOUR, dueAt + 4 * DAY);
          edit(finish - 3 * DAY, figures, 'nhập số liệu');
          edit(finish - 1 * DAY, rest, 'nhập đề cương, điển hình, khen thưởng');
          edit(finish, confirmationEntries(model, urng, true), 'xác nhận và gửi');
          break;
        }
        case 'text-in-number': {
          const start = open + 2 * DAY;
          edit(start, mutate(figures, firstFigure, '12 buổi'), 'gõ chữ vào ô số');
          edit(start + 1 * DAY, figures.filter(firstFigure).slice(0, 1), 'sửa lại ô số');
          edit(start + 2 * DAY, [...rest, ...confirmationEntries(model, urng, true)], 'hoàn thành và gửi');
          break;
        }
        case 'part-over-total': {
          const rule = model
            .rulesOfKind('lte')
            .find((x) => x.severity === 'error' && figures.some((e) => e.kind === 'figure' && e.table === x.table));
          const bad = rule
            ? figures.map((e) =>
                e.kind === 'figure' && e.table === rule.table && e.code === rule.left && e.period === round.periods[0]
                  ? ({ ...e, value: 99_999 } as Entry)
                  : e,
              )
            : figures;
          edit(open + 4 * DAY, [...bad, ...rest, ...confirmationEntries(model, urng, true)], 'phần lớn hơn tổng');
          edit(dueAt + 1 * DAY, figures, 'sửa sau hạn: nộp muộn');
          break;
        }
        case 'over-quota':
        case 'ineligible':
          edit(
            open + 5 * DAY,
            [...figures, ...rest, ...confirmationEntries(model, urng, true)],
            behaviour === 'over-quota' ? 'đề nghị vượt định mức' : 'đối tượng chưa đủ tiêu chuẩn',
          );
          break;
      }
    });
  });
  edits.sort((a, b) => a.at - b.at);
  return { edits, behaviours, startsAt };
}
