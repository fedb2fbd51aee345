import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestStack, type TestStack } from '../helpers/stack.js';

describe('the local stack harness', () => {
  let s: TestStack;
  beforeAll(async () => {
    s = await startTestStack();
    await s.provision(['so-ket-2020']);
  });
  afterAll(() => s.dispose());

  it('accepts a complete valid submission typed by the clerk, and aggregates it up to the city', async () => {
    await s.typeSubmission('ubnd-ba-dinh', 'so-ket-2020');
    const r = await s.process('ubnd-ba-dinh', 'so-ket-2020');
    expect(r.outcome).toBe('processed');
    if (r.outcome !== 'processed') return;
    expect(r.evaluation.issues.filter((i) => i.severity === 'error')).toEqual([]);
    expect(r.accepted).toBe(true);
    expect(r.statusText).toMatch(/^Đã gửi lúc 09:00 10\/07\/2020/);
    await s.triggersIdle();
    const city = await s.runtime.store.aggregate('so-ket-2020', 'ha-noi');
    expect(city?.contributors).toBe(1);
    expect(city?.totals.bang1?.['tuyen_truyen.dai_chung']).toBe(r.evaluation.totals.bang1?.['tuyen_truyen.dai_chung']);
  });
});
