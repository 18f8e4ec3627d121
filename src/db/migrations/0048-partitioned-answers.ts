import type { Kysely } from 'kysely';
import { partitionWhenSmall } from '../partitions.ts';

/**
 * Issue 13: on PostgreSQL, answers (`responses`) become a table partitioned by month of their id,
 * like invitations (migration 0020). What made them wait: an answer is unique per invitation and per
 * browser (survey, device key), and a partitioned table has no unique index across partitions on
 * those columns. The application now derives an answer's id from that key
 * (src/modules/responses/answer-ids.ts), so the primary key — which a partitioned table does keep
 * unique — holds the guarantee; an answer written before keeps its id, and the writer finds it by
 * its key and reuses the id. Existing rows move into their month's partition; every column, check,
 * foreign key and index (the tenant key (organisation_id, id) included) is made again.
 *
 * The unique indexes on invitation_id and (survey_id, device_key) become plain indexes (the
 * lookups'). With the id appended, as partitionByMonth makes them, they would be unique exactly
 * when the primary key is — and racing first answers of one key would then fail on them: an upsert
 * settles a conflict on its arbiter (the primary key) only, and a concurrent insert that meets the
 * other unique index first is an error.
 *
 * Copying the rows holds the start and every writer of answers, so, like emails (migration 0050),
 * it happens here only for a table of at most 100,000 rows; a larger one stays a plain table (the
 * same code runs on it: a first answer is inserted with no conflict target, so its unique indexes
 * settle a race there as the primary key does) until `loyaal migrate` partitions it with progress
 * (docs/operations.md, "Monthly partitions"). A database that ran this migration before it did so
 * has its answers partitioned already. SQLite is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await partitionWhenSmall(db, 'responses', Date.now());
}
