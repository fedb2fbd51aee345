/**
 * A figures table's "Tổng cộng (hệ thống tự tính)" row, where a campaign splits a round into
 * several periods (here by year): the feedback writes each indicator's total there, flows summed
 * over the periods, stocks the last period's value. Under a single period (the 2020 plan) the
 * template has no total row and the feedback writes none.
 */
import { describe, expect, it } from 'vitest';
import type { CampaignModel } from '../../functions/core/campaign-model.js';
import { evaluateWorkbook } from '../../functions/core/evaluate.js';
import { planFeedback } from '../../functions/core/feedback.js';
import { model, yearlyModel, YEARLY_PERIODS } from '../helpers/campaign.js';
import { figuresFor, filledGrid } from '../helpers/fill-workbook.js';

const ROUND = 'so-ket-2020';
const UNIT = 'ubnd-ba-dinh';
const FLOW = 'tuyen_truyen.dai_chung';
const STOCK = 'mo_hinh.hien_co';

async function plannedTotals(campaignModel: CampaignModel) {
  const evaluation = evaluateWorkbook(campaignModel, UNIT, ROUND, await filledGrid(campaignModel, UNIT, ROUND));
  expect(evaluation.status).toBe('ready');
  const located = evaluation.located.tables.get('bang1');
  if (located?.kind !== 'figures') throw new Error('Bảng 1 not located');
  const plan = planFeedback(campaignModel, evaluation, { text: '', tone: 'ok' });
  const at = (code: string) =>
    plan.totals.find((t) => t.sheet === located.sheet.title && t.col === located.columns.get(code))?.value;
  return { located, totals: plan.totals, at };
}

describe('the total row of a figures table', () => {
  it('several periods: flows summed, stocks the last period, written on the total row', async () => {
    const typed = figuresFor(yearlyModel, UNIT, ROUND, 'bang1');
    const { located, at } = await plannedTotals(yearlyModel);
    expect(located.totalRow).toBe(located.periodRows.get(YEARLY_PERIODS.at(-1)!)! + 1);
    expect(at(FLOW)).toBe(YEARLY_PERIODS.reduce((sum, period) => sum + typed[period]![FLOW]!, 0));
    expect(at(STOCK)).toBe(typed[YEARLY_PERIODS.at(-1)!]![STOCK]);
  });

  it('one period: no total row, nothing written for it', async () => {
    const { located, totals } = await plannedTotals(model);
    expect(located.totalRow).toBeNull();
    expect(totals).toEqual([]);
  });
});
