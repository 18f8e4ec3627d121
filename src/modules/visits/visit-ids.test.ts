import { describe, expect, it } from 'vitest';
import { newId, uuidv7Time } from '../../shared/ids.ts';
import { newVisitId, visitId, visitLockKey } from './visit-ids.ts';

describe('visit ids', () => {
  const organisationId = newId();
  const since = uuidv7Time(organisationId) ?? 0;

  it('derives the same id from the same organisation, number and moment', () => {
    const at = since + 86_400_000;
    expect(visitId(organisationId, 'WO-1', at)).toBe(visitId(organisationId, 'WO-1', at));
    expect(uuidv7Time(visitId(organisationId, 'WO-1', at))).toBe(at);
    expect(visitId(organisationId, 'WO-2', at)).not.toBe(visitId(organisationId, 'WO-1', at));
    expect(visitId(newId(), 'WO-1', at)).not.toBe(visitId(organisationId, 'WO-1', at));
  });

  it('never takes a moment before the organisation was made', () => {
    expect(uuidv7Time(visitId(organisationId, 'WO-1', since - 400 * 86_400_000))).toBe(since);
    expect(uuidv7Time(visitId('not-a-uuid', 'WO-1', 1_000))).toBe(1_000);
  });

  it('gives a visit without a number a random id of now', () => {
    const a = newVisitId(organisationId, null, 0);
    expect(a).not.toBe(newVisitId(organisationId, null, 0));
    expect(uuidv7Time(a)).toBeGreaterThan(Date.now() - 60_000);
  });

  it('locks a number under a stable 32-bit key of its own organisation', () => {
    const key = visitLockKey(organisationId, 'WO-1');
    expect(Number.isInteger(key) && key >= -(2 ** 31) && key < 2 ** 31).toBe(true);
    expect(visitLockKey(organisationId, 'WO-1')).toBe(key);
    expect(visitLockKey(newId(), 'WO-1')).not.toBe(key);
  });
});
