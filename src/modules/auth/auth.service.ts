import { timingSafeEqual } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import { newToken, sha256 } from '../../shared/ids.ts';
import type { Actor } from './actor.ts';
import * as repo from './auth.repository.ts';
import { dummyHash, verifyPassword } from './passwords.ts';

const DAY = 86_400_000;

export interface NewSession {
  token: string;
  csrfToken: string;
  expiresAt: number;
  /** How long the session lasts, for the cookie's Max-Age (seconds). */
  maxAgeSeconds: number;
}

export async function createSession(
  db: Executor,
  input: { userId: string; organisationId: string; now: number; days: number },
): Promise<NewSession> {
  const token = newToken();
  const csrfToken = newToken();
  const expiresAt = input.now + input.days * DAY;
  await repo.insertSession(db, {
    id: sha256(token),
    user_id: input.userId,
    organisation_id: input.organisationId,
    csrf_token: csrfToken,
    created_at: input.now,
    expires_at: expiresAt,
  });
  return { token, csrfToken, expiresAt, maxAgeSeconds: (input.days * DAY) / 1000 };
}

/**
 * Checks email and password. Unknown emails take the same path through argon2 as wrong passwords
 * and yield the same error, so neither the answer nor its timing reveals which accounts exist.
 */
export async function login(
  db: Executor,
  input: { email: string; password: string; now: number; days: number },
): Promise<NewSession & { userId: string }> {
  const user = await repo.findUserForLogin(db, input.email.trim().toLowerCase());
  const ok = await verifyPassword(user?.password_hash ?? (await dummyHash()), input.password);
  if (!user || !ok) throw new AppError('invalid_credentials');
  const membership = await repo.firstMembership(db, user.id);
  if (!membership) throw new AppError('invalid_credentials');
  await repo.deleteExpiredSessions(db, input.now);
  const session = await createSession(db, {
    userId: user.id,
    organisationId: membership.organisation_id,
    now: input.now,
    days: input.days,
  });
  return { ...session, userId: user.id };
}

export async function actorFromSession(
  db: Executor,
  token: string,
  now: number,
): Promise<Actor | null> {
  if (token.length > 100) return null;
  const row = await repo.findSessionActor(db, sha256(token), now);
  if (!row) return null;
  return {
    kind: 'user',
    id: row.user_id,
    organisationId: row.organisation_id,
    role: row.role,
    employeeId: row.employee_id,
    locale: row.locale,
    sessionId: row.session_id,
    csrfToken: row.csrf_token,
  };
}

/** API keys look like `lyl_<prefix>_<secret>`; the prefix finds the row, the SHA-256 proves it. */
export async function actorFromApiKey(
  db: Executor,
  key: string,
  now: number,
): Promise<Actor | null> {
  const match = /^lyl_([A-Za-z0-9]{12})_([A-Za-z0-9_-]{20,100})$/.exec(key);
  if (!match?.[1]) return null;
  const row = await repo.findApiKeyByPrefix(db, match[1]);
  if (!row || row.revoked_at !== null) return null;
  const expected = Buffer.from(row.key_hash, 'hex');
  const actual = Buffer.from(sha256(key), 'hex');
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return null;
  // Write last-use at most once a minute: the hot path stays a read.
  if (row.last_used_at === null || now - row.last_used_at > 60_000)
    await repo.touchApiKey(db, row.id, now);
  return {
    kind: 'api_key',
    id: row.id,
    organisationId: row.organisation_id,
    role: row.role,
    employeeId: null,
    locale: 'en',
  };
}

export function csrfMatches(actor: Actor, header: string | undefined): boolean {
  if (!actor.csrfToken || !header) return false;
  const a = Buffer.from(actor.csrfToken);
  const b = Buffer.from(header);
  return a.length === b.length && timingSafeEqual(a, b);
}
