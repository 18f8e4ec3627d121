import { randomBytes } from 'node:crypto';
import { derivedId, sha256, uuidv7Time } from '../../shared/ids.ts';

/**
 * An answer's id is derived from the key it is unique by, so that the primary key alone keeps one
 * answer per key (issue 13). On PostgreSQL `responses` is partitioned by month of its id, and a
 * partitioned table has no unique index across partitions on any other column (the indexes on
 * `invitation_id` and `(survey_id, device_key)` are plain ones there). Two first answers of one
 * invitation racing each other therefore must arrive with the same id, and the upsert's conflict on
 * the primary key turns the second into an update, on SQLite and PostgreSQL alike.
 *
 * An answer written before this (a random UUIDv7) keeps its id: the writer reads the current answer
 * of a key before it upserts and reuses that id (store-answers.ts), so those rows stay the one
 * answer of their key as well (docs/operations.md, "Monthly partitions").
 */

/**
 * The id of the answer to an invitation: the invitation's time bits (so the answer lands in the
 * partition of the month the invitation was made, one pruned lookup away from it), the rest from
 * the invitation id. An invitation id that is not a UUIDv7 (written by hand) gets time 0.
 */
export const invitationAnswerId = (invitationId: string): string =>
  derivedId(uuidv7Time(invitationId) ?? 0, `response/invitation/${invitationId}`);

/** A browser's id on an anonymous link: 6 bytes of the millisecond it was made, 21 random bytes. */
const DEVICE_ID_BYTES = 27;
const DEVICE_ID_LENGTH = 36; // base64url of 27 bytes; ids made before were 32 characters

/** A new random id for a browser on an anonymous link (kept in its device cookie). */
export function newDeviceId(now: number): string {
  const bytes = randomBytes(DEVICE_ID_BYTES);
  bytes.writeUIntBE(Math.max(0, Math.min(now, 2 ** 48 - 1)), 0, 6);
  return bytes.toString('base64url');
}

/** The millisecond a device id was made, or null for one made before ids carried it. */
export function deviceIdTime(deviceId: string): number | null {
  if (deviceId.length !== DEVICE_ID_LENGTH) return null;
  const bytes = Buffer.from(deviceId, 'base64url');
  return bytes.length === DEVICE_ID_BYTES ? bytes.readUIntBE(0, 6) : null;
}

/**
 * One response per browser per survey and location at a time: the cookie's random id, hashed with
 * the survey id and the location a poster's link names (`?v=`), so that the same phone on two
 * branches' posters gives each branch its own answer. Once the browser's answer at a location is
 * final, its next answer there is the next `generation` (1, 2, …) of that location's key: the
 * browser keeps its device id, so its still open answers at other locations stay its own. The
 * first generation of the plain link (no location) is the key answers always had; so is that of
 * answers a poster's link stored before locations were in the key (responses.service.ts looks
 * those up first).
 */
export const deviceKey = (
  surveyId: string,
  deviceId: string,
  locationId: string | null = null,
  generation = 0,
): string =>
  sha256(
    generation > 0
      ? `${surveyId}:${locationId ?? ''}:${deviceId}:${generation}`
      : locationId === null
        ? `${surveyId}:${deviceId}`
        : `${surveyId}:${locationId}:${deviceId}`,
  );

/**
 * The id of a browser's answer on an anonymous link, a function of its key (survey, device key)
 * and a time for its time bits: for the browser's first answer at a location the device id's (the
 * month the browser first came), or the survey's for a device id made before ids carried a time;
 * for a later one the moment the answer before it closed, which every writer reads alike (and is
 * never ahead of the clock), so the answer lands near the month it was given.
 */
export const deviceAnswerId = (
  surveyId: string,
  deviceId: string,
  key: string = deviceKey(surveyId, deviceId),
  time: number = deviceIdTime(deviceId) ?? uuidv7Time(surveyId) ?? 0,
): string => derivedId(time, `response/device/${surveyId}/${key}`);
