import { derivedId } from '../../shared/ids.ts';

/**
 * An email's id is derived from its Message-ID, the key an email is unique by (issue 13). Every
 * sender writes a message under a Message-ID that names its cause (an invitation, a job, a case and
 * recipient, a digest week), so a job that runs again after a crash — or twice at once — composes the
 * same message under the same Message-ID, and with this the same id: the primary key alone keeps one
 * row per message. On PostgreSQL `emails` is partitioned by month of its id, and a partitioned table
 * has no unique index across partitions on `message_id` (it is a plain index there).
 *
 * `placedAt` is the millisecond of the id's time bits, the month whose partition holds the email: a
 * time of the cause that every retry sees the same (an invitation's id, the job's id, the digest's
 * week) — never the clock at composing, which a retry would see differently and so write a second
 * row in another month. The SMTP Message-ID itself is not derived from the id and stays what it was.
 *
 * An email written before this (a random UUIDv7) keeps its id: every sender looks a Message-ID up
 * before it writes, so such a row stays the one email of its Message-ID.
 */
export const emailId = (messageId: string, placedAt: number): string =>
  derivedId(placedAt, `email/${messageId}`);
