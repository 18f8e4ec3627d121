import type { Kysely } from 'kysely';
import { partitionWhenSmall } from '../partitions.ts';

/**
 * Issue 13: on PostgreSQL, `visits` becomes a table partitioned by month of its id, like answers
 * and emails (migrations 0048, 0050). What made it wait: a visit is unique per organisation and
 * number (`external_id`: a re-sent or corrected invoice updates its visit), and a partitioned table
 * has no unique index across partitions on those columns. The application now derives a numbered
 * visit's id from its organisation and number and takes the organisation's visit lock before
 * looking the number up (src/modules/visits/visit-ids.ts), so the primary key and that lock keep one visit per number; a
 * visit written before keeps its id, found by its number as always. The unique index on
 * (organisation_id, external_id) becomes a plain one for the lookups, and the table gets the tenant
 * key (organisation_id, id) instead (docs/tenant-movability.md). Partitions are made from the month
 * the oldest organisation was created: no new visit's id is older than its organisation.
 *
 * Copying the rows holds the start and every writer of visits, so it happens here only for a table
 * of at most 100,000 rows; a larger one stays a plain table (the same code runs on it) until
 * `loyaal migrate` partitions it with progress (docs/operations.md, "Monthly partitions"). SQLite
 * is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await partitionWhenSmall(db, 'visits', Date.now());
}
