import type { Db } from '../../db/database.ts';
import { organisationIds, rebuildContactFacts } from './contact-facts.repository.ts';

/**
 * Recomputes the loyalty facts per contact from scratch, for one organisation or all, each in its
 * own transaction: for a backfill, or to prove (the tests do) that the rows the subscribers keep
 * are what a rebuild writes.
 */
export async function rebuildLoyaltyFacts(
  db: Db,
  now: number,
  organisationId?: string,
): Promise<{ organisations: number; contacts: number }> {
  const ids = organisationId ? [organisationId] : await organisationIds(db.kysely);
  let contacts = 0;
  for (const id of ids) {
    contacts += await db.kysely.transaction().execute((trx) => rebuildContactFacts(trx, id, now));
  }
  return { organisations: ids.length, contacts };
}
