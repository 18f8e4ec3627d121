import { derivedId, newId, newToken, uuidv7Time } from '../../shared/ids.ts';

/**
 * A visit's id (issue 13). On PostgreSQL `visits` is partitioned by month of its id, and a
 * partitioned table has no unique index across partitions on (organisation, external id), the key
 * a visit is unique by (its index is a plain one there; SQLite keeps it unique). Two guards keep one
 * visit per number instead:
 *
 * - the id of a visit with a number is derived from it: the 74 bits RFC 9562 leaves random are the
 *   first bits of SHA-256 of the organisation and the number, so a retry that sends the same facts
 *   writes the same id, and the primary key refuses a second row wherever it lands;
 * - every writer takes the organisation's transaction-scoped visit lock before it looks its numbers
 *   up (visits.repository.ts `lockVisitWrites`), so a first record and its correction racing with
 *   another date — a different id — still meet: the second waits, then finds the first and updates
 *   it. Transaction scope works behind PgBouncer in transaction mode.
 *
 * The time bits are the visit's moment, so a visit sits in the partition of the month it took place
 * (and detaches with it), but never before the organisation's own creation (the time bits of its
 * UUIDv7 id): history imported when an organisation starts lands in its first month, whose
 * partition exists, instead of filling the default partition with years for which no partition is
 * ever made. A later correction changes the row, never its id. A visit without a number, and one
 * whose derived id is taken (a number whose earlier visit was anonymised on erasure, which clears
 * the number), gets a random UUIDv7. Visits stored before keep their ids; they are found by their
 * number as always.
 */
export function visitId(organisationId: string, externalId: string, visitedAt: number): string {
  const since = uuidv7Time(organisationId) ?? 0;
  return derivedId(Math.max(visitedAt, since), `visit/${organisationId}/${externalId}`);
}

/** The id of a new visit: derived from its number (`visitId`), or random without one. */
export const newVisitId = (organisationId: string, externalId: string | null, visitedAt: number) =>
  externalId === null ? newId() : visitId(organisationId, externalId, visitedAt);

/**
 * The id an erased visit takes instead of its own (visits.repository.ts `anonymiseContactVisits`):
 * random bits, the same time bits — the same month's partition. A derived id would otherwise give
 * back the number erasure removed to anyone who hashes candidate invoice numbers.
 */
export const erasedVisitId = (id: string): string => {
  const time = uuidv7Time(id);
  // An id that is not a UUIDv7 (a visit stored before ids were derived) carries no number: kept.
  return time === null ? id : derivedId(time, `erased/${newToken()}`);
};

/** The dedupe key of a visit's invitation job: one invitation per visit, however often recorded. */
export const visitInviteKey = (visitId: string): string => `visit-invite:${visitId}`;
