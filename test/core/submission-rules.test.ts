/**
 * The two submission rules the store's transaction and the coordinators' view share: a version
 * is accepted only when its content changed and the round is not locked, and lateness is fixed
 * by the first accepted version (at or after the due time is late). Times come from the model,
 * so the test holds whatever the campaign's rounds are.
 */
import { describe, expect, it } from 'vitest';
import { timelinessOf } from '../../functions/core/master-view.js';
import { acceptVersion, isLate } from '../../functions/core/submission-rules.js';
import { model } from '../helpers/campaign.js';

const roundId = model.campaign.rounds[0]!.id;
const deadlines = { dueAt: model.dueAt(roundId), lockAt: model.lockAt(roundId) };
const HOUR = 3_600_000;

describe('isLate', () => {
  it('is late from the due instant on, on time the millisecond before', () => {
    expect(isLate(deadlines.dueAt - 1, deadlines.dueAt)).toBe(false);
    expect(isLate(deadlines.dueAt, deadlines.dueAt)).toBe(true);
  });

  it('is the rule the master view shows', () => {
    const submitted = (firstAcceptedAt: number) => ({ firstAcceptedAt }) as Parameters<typeof timelinessOf>[2];
    expect(timelinessOf(model, roundId, submitted(deadlines.dueAt - 1), deadlines.lockAt)).toBe('on-time');
    expect(timelinessOf(model, roundId, submitted(deadlines.dueAt), deadlines.lockAt)).toBe('late');
  });
});

describe('acceptVersion', () => {
  const before = deadlines.dueAt - 2 * HOUR;
  const afterDue = deadlines.dueAt + HOUR;

  it('accepts the first ready content as version 1, on time before the due time', () => {
    expect(acceptVersion(null, 'h1', before, deadlines)).toEqual({
      decision: 'accept',
      versionNo: 1,
      firstAcceptedAt: before,
      late: false,
    });
  });

  it('accepts first content after the due time as late', () => {
    expect(deadlines.lockAt).toBeGreaterThan(afterDue);
    expect(acceptVersion(null, 'h1', afterDue, deadlines)).toEqual({
      decision: 'accept',
      versionNo: 1,
      firstAcceptedAt: afterDue,
      late: true,
    });
  });

  it('a correction after the due time keeps the first acceptance, so an on-time submission stays on time', () => {
    expect(
      acceptVersion({ contentHash: 'h1', versionCount: 1, firstAcceptedAt: before }, 'h2', afterDue, deadlines),
    ).toEqual({ decision: 'accept', versionNo: 2, firstAcceptedAt: before, late: false });
  });

  it('the same content, or content that is not ready, is no new version', () => {
    expect(
      acceptVersion({ contentHash: 'h1', versionCount: 3, firstAcceptedAt: before }, 'h1', afterDue, deadlines),
    ).toEqual({ decision: 'unchanged' });
    expect(
      acceptVersion({ contentHash: 'h1', versionCount: 3, firstAcceptedAt: before }, null, afterDue, deadlines),
    ).toEqual({ decision: 'unchanged' });
  });

  it('changed content from the lock on is refused: locked out, the accepted version stays', () => {
    expect(
      acceptVersion({ contentHash: 'h1', versionCount: 1, firstAcceptedAt: before }, 'h2', deadlines.lockAt, deadlines),
    ).toEqual({ decision: 'locked-out' });
    expect(acceptVersion(null, 'h1', deadlines.lockAt, deadlines)).toEqual({ decision: 'locked-out' });
    expect(
      acceptVersion(
        { contentHash: 'h1', versionCount: 1, firstAcceptedAt: before },
        'h2',
        deadlines.lockAt - 1,
        deadlines,
      ).decision,
    ).toBe('accept');
  });
});
