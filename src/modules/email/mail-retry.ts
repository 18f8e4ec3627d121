/**
 * Back-off of a job that sends mail to a person when the mail server fails: 1, 5, 15 and 30
 * minutes, then 1, 2, 4 and 8 hours. With MAIL_MAX_ATTEMPTS that spans a day, so a mail server
 * that is down for a night delays the mail instead of failing it (the default back-off gave up
 * after 21 minutes). Invitations, reminders, the weekly digest, the programme invitation, a
 * friend's welcome offer and the review request all use it.
 */
const MAIL_RETRY_MINUTES = [1, 5, 15, 30, 60, 120, 240, 480];
export const mailRetryDelay = (attempt: number): number =>
  (MAIL_RETRY_MINUTES[Math.min(Math.max(attempt, 1), MAIL_RETRY_MINUTES.length) - 1] ?? 480) *
  60_000;

/** Attempts before mail whose server keeps failing is given up (~24 h with `mailRetryDelay`). */
export const MAIL_MAX_ATTEMPTS = 10;
