import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';

describe('the local stack harness', () => {
  let stack: TestStack;
  beforeAll(async () => {
    stack = await startTestStack();
    await stack.provision(['so-ket-2020']);
  });
  afterAll(() => stack.dispose());

  it('accepts a complete valid submission typed by the clerk, and aggregates it up to the city', async () => {
    await stack.typeSubmission('ubnd-ba-dinh', 'so-ket-2020');
    const outcome = await stack.process('ubnd-ba-dinh', 'so-ket-2020');
    expect(outcome.outcome).toBe('processed');
    if (outcome.outcome !== 'processed') return;
    expect(outcome.evaluation.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(outcome.accepted).toBe(true);
    expect(outcome.statusText).toMatch(/^Đã gửi lúc 09:00 10\/07\/2020/);
    await stack.triggersIdle();
    const city = await stack.runtime.store.aggregate('so-ket-2020', 'ha-noi');
    expect(city?.contributors).toBe(1);
    expect(city?.totals.bang1?.['tuyen_truyen.dai_chung']).toBe(
      outcome.evaluation.totals.bang1?.['tuyen_truyen.dai_chung'],
    );
  });
});
