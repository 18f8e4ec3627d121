import { describe, expect, it } from 'vitest';
import { newId, uuidv7Time } from '../../shared/ids.ts';
import {
  deviceAnswerId,
  deviceIdTime,
  deviceKey,
  invitationAnswerId,
  newDeviceId,
} from './answer-ids.ts';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('answer ids derived from the key an answer is unique by', () => {
  it('gives an invitation always the same answer id, a UUIDv7 with the invitation’s time', () => {
    const invitation = newId();
    const id = invitationAnswerId(invitation);
    expect(id).toMatch(UUIDV7);
    expect(invitationAnswerId(invitation)).toBe(id);
    expect(uuidv7Time(id)).toBe(uuidv7Time(invitation));
    expect(id).not.toBe(invitation);
  });

  it('gives every invitation its own answer id, also invitations made in the same millisecond', () => {
    const invitations = Array.from({ length: 2_000 }, () => newId());
    const sameMs = invitations.map((id) => `${invitations[0]?.slice(0, 13)}${id.slice(13)}`);
    for (const set of [invitations, sameMs]) {
      expect(new Set(set.map(invitationAnswerId)).size).toBe(new Set(set).size);
    }
  });

  it('places an invitation id that is no UUIDv7 at time 0, still one id per invitation', () => {
    expect(uuidv7Time(invitationAnswerId('import-42'))).toBe(0);
    expect(invitationAnswerId('import-42')).toBe(invitationAnswerId('import-42'));
    expect(invitationAnswerId('import-42')).not.toBe(invitationAnswerId('import-43'));
  });

  it('makes device ids that carry the moment they were made, and reads none from older ones', () => {
    const now = Date.UTC(2026, 10, 30, 8, 0, 0);
    const id = newDeviceId(now);
    expect(id).toMatch(/^[A-Za-z0-9_-]{36}$/);
    expect(deviceIdTime(id)).toBe(now);
    expect(newDeviceId(now)).not.toBe(id);
    // A device id as they were made before: 24 random bytes, 32 characters.
    expect(deviceIdTime('a'.repeat(32))).toBeNull();
    expect(deviceIdTime('a'.repeat(35))).toBeNull();
  });

  it('gives a browser on a survey always the same answer id, placed at the device id’s time', () => {
    const survey = newId();
    const now = Date.UTC(2026, 5, 15);
    const device = newDeviceId(now);
    const id = deviceAnswerId(survey, device);
    expect(id).toMatch(UUIDV7);
    expect(deviceAnswerId(survey, device)).toBe(id);
    expect(uuidv7Time(id)).toBe(now);
    // Another survey, another browser: another answer.
    expect(deviceAnswerId(newId(), device)).not.toBe(id);
    expect(deviceAnswerId(survey, newDeviceId(now))).not.toBe(id);
    // The device key stays what it was, so answers given before are found by it.
    expect(deviceKey(survey, device)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('gives a browser on a location’s poster its own answer, at the same device id’s time', () => {
    const survey = newId();
    const [leeuwarden, sneek] = [newId(), newId()];
    const now = Date.UTC(2026, 5, 15);
    const device = newDeviceId(now);
    const key = deviceKey(survey, device, leeuwarden);
    expect(key).not.toBe(deviceKey(survey, device));
    expect(key).not.toBe(deviceKey(survey, device, sneek));
    expect(deviceKey(survey, device, null)).toBe(deviceKey(survey, device));
    const id = deviceAnswerId(survey, device, key);
    expect(id).toMatch(UUIDV7);
    expect(uuidv7Time(id)).toBe(now);
    expect(id).not.toBe(deviceAnswerId(survey, device));
    expect(deviceAnswerId(survey, device, deviceKey(survey, device))).toBe(
      deviceAnswerId(survey, device),
    );
  });

  it('gives a browser a new key at a location once its answer there is final, one per generation', () => {
    const survey = newId();
    const [leeuwarden, sneek] = [newId(), newId()];
    const device = newDeviceId(Date.UTC(2026, 5, 15));
    const keys = [leeuwarden, sneek, null].flatMap((location) =>
      [0, 1, 2].map((generation) => deviceKey(survey, device, location, generation)),
    );
    expect(new Set(keys).size).toBe(keys.length);
    // The first generation is the key answers always had, with a location and without.
    expect(deviceKey(survey, device, leeuwarden, 0)).toBe(deviceKey(survey, device, leeuwarden));
    expect(deviceKey(survey, device, null, 0)).toBe(deviceKey(survey, device));
    expect(deviceKey(survey, device, sneek, 1)).toBe(deviceKey(survey, device, sneek, 1));
  });

  it('places a later answer at the moment given, still a function of its key', () => {
    const survey = newId();
    const device = newDeviceId(Date.UTC(2026, 5, 15));
    const key = deviceKey(survey, device, newId(), 1);
    const closed = Date.UTC(2026, 8, 1);
    const id = deviceAnswerId(survey, device, key, closed);
    expect(id).toMatch(UUIDV7);
    expect(uuidv7Time(id)).toBe(closed);
    expect(deviceAnswerId(survey, device, key, closed)).toBe(id);
    expect(deviceAnswerId(survey, device, deviceKey(survey, device), closed)).not.toBe(id);
  });

  it('places the answer of a device id made before ids carried a time at the survey’s time', () => {
    const survey = newId();
    const older = 'Zm9vYmFyYmF6cXV4cXV1eGNvcmdlZ3JhdWx0'.slice(0, 32);
    expect(uuidv7Time(deviceAnswerId(survey, older))).toBe(uuidv7Time(survey));
    expect(deviceAnswerId(survey, older)).toBe(deviceAnswerId(survey, older));
    expect(deviceAnswerId(survey, older)).not.toBe(invitationAnswerId(survey));
  });
});
