import type { Db } from '../../db/database.ts';
import { oneOrAll } from '../../platform/rebuild-command.ts';
import { monthsCovering } from '../../domain/loyalty/revenue-months.ts';
import { organisationIds, rebuildContactFacts } from './contact-facts.repository.ts';
import { rebuildRevenueMonths, visitSpan } from './revenue-months.repository.ts';

/**
 * Recomputes what the loyalty report keeps from scratch — the facts per contact and earned
 * growth's sums per month — for one organisation or all, each in its own transaction: for a
 * backfill, or to prove (the tests do) that the rows the subscribers keep are what a rebuild writes.
 */
export async function rebuildLoyaltyFacts(
  db: Db,
  now: number,
  organisationId?: string,
): Promise<{ organisations: number; contacts: number; months: number }> {
  const ids = oneOrAll(await organisationIds(db.kysely), organisationId);
  let contacts = 0;
  let months = 0;
  for (const id of ids) {
    await db.kysely.transaction().execute(async (trx) => {
      contacts += await rebuildContactFacts(trx, id, now);
      const span = await visitSpan(trx, id);
      months += await rebuildRevenueMonths(
        trx,
        id,
        span ? monthsCovering(span.first, span.last) : [],
        now,
      );
    });
  }
  return { organisations: ids.length, contacts, months };
}
