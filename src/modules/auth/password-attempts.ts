import type { RateCounter } from '../../platform/rate-limits/rate-counter.ts';

const WINDOW_MS = 5 * 60_000;

/**
 * Counts one attempt at an account's password from an address, over every route that checks one
 * (logging in, accepting an invitation as an existing user), and says whether it stays within the
 * limit: the login limit cannot be sidestepped by guessing the same password elsewhere. The
 * account is its email address as the login reads it (trimmed, lower case).
 */
export async function passwordAttemptAllowed(
  counter: RateCounter,
  limit: number,
  attempt: { ip: string; email: string; now: number },
): Promise<boolean> {
  const account = attempt.email.trim().toLowerCase().slice(0, 254);
  const { count } = await counter.hit(`password|${attempt.ip}|${account}`, WINDOW_MS, attempt.now);
  return count <= limit;
}
