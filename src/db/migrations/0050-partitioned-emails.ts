import type { Kysely } from 'kysely';
import { partitionWhenSmall } from '../partitions.ts';

/**
 * Issue 13: on PostgreSQL, `emails` becomes a table partitioned by month of its id, like answers
 * (migration 0048). What made it wait: an email is unique per Message-ID (a retried job finds the
 * message it composed before and sends that one again, under the same Message-ID), and a
 * partitioned table has no unique index across partitions on `message_id`. The application now
 * derives an email's id from its Message-ID and a time of its cause (src/modules/email/email-ids.ts),
 * so the primary key holds that guarantee; an email written before keeps its id, found by its
 * Message-ID as always. The unique index on `message_id` becomes a plain one, for the lookups.
 *
 * Copying the rows holds the start and every writer of emails, so it happens here only for a table
 * of at most 100,000 rows; a larger one stays a plain table (the same code runs on it) until
 * `loyaal migrate` partitions it with progress (docs/operations.md, "Monthly partitions"). SQLite
 * is left as it is.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await partitionWhenSmall(db, 'emails', Date.now());
}
