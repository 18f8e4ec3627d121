import { describe, expect, it } from 'vitest';
import { newId, uuidv7Time } from '../../shared/ids.ts';
import { erasedVisitId, newVisitId, visitId, visitInviteKey } from './visit-ids.ts';

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

  it('gives an erased visit random bits in the same month, so its number cannot be found again', () => {
    const at = since + 86_400_000;
    const id = visitId(organisationId, 'WO-1', at);
    const erased = erasedVisitId(id);
    expect(uuidv7Time(erased)).toBe(at);
    expect(erased).not.toBe(id);
    expect(erasedVisitId(id)).not.toBe(erased);
    expect(erased).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('keeps the id of a visit stored before ids were derived: it carries no number', () => {
    const old = '3f2b8c1e-9d4a-4e6b-8c2d-1a2b3c4d5e6f';
    expect(erasedVisitId(old)).toBe(old);
  });

  it('keys a visit invitation job by the visit id', () => {
    expect(visitInviteKey('v-1')).toBe('visit-invite:v-1');
  });
});
