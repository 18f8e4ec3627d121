import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import type { Role } from '../../db/schema.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId, newToken, sha256 } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { canGrantRole } from '../auth/policies.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import * as repo from './api-keys.repository.ts';
import { z } from 'zod';
import { timestamp } from '../../shared/api-schemas.ts';
import { roleSchema } from '../auth/auth.schemas.ts';

/** An API key as listed: never its secret. */
export const apiKeySchema = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string().describe('`lyl_<prefix>`: the start of the key, to recognise it'),
  role: roleSchema,
  createdAt: timestamp,
  lastUsedAt: timestamp.nullable(),
  revokedAt: timestamp.nullable(),
});
export type ApiKeyJson = z.output<typeof apiKeySchema>;

/** A new API key: its secret is shown once, here, and cannot be shown again. */
export const createdApiKeySchema = apiKeySchema.extend({
  secret: z.string().describe('The whole key `lyl_<prefix>_<secret>`; shown once'),
});

const ALPHANUM = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

function randomPrefix(): string {
  return Array.from(randomBytes(12), (b) => ALPHANUM[b % ALPHANUM.length]).join('');
}

export function presentApiKey(k: Awaited<ReturnType<typeof repo.listApiKeys>>[number]): ApiKeyJson {
  return {
    id: k.id,
    name: k.name,
    prefix: `lyl_${k.prefix}`,
    role: k.role,
    createdAt: new Date(k.created_at).toISOString(),
    lastUsedAt: k.last_used_at === null ? null : new Date(k.last_used_at).toISOString(),
    revokedAt: k.revoked_at === null ? null : new Date(k.revoked_at).toISOString(),
  };
}

/**
 * Creates an API key `lyl_<prefix>_<secret>`. Only its SHA-256 is stored: the secret is returned
 * once, here, and cannot be shown again.
 */
export async function createApiKey(
  db: Executor,
  actor: Actor | { kind: 'system'; organisationId: string },
  input: { name: string; role: Role },
  now: number,
) {
  if (actor.kind !== 'system' && !canGrantRole(actor, input.role)) throw new AppError('forbidden');
  const prefix = randomPrefix();
  const secret = `lyl_${prefix}_${newToken()}`;
  const row = {
    id: newId(),
    organisation_id: actor.organisationId,
    name: input.name,
    prefix,
    key_hash: sha256(secret),
    role: input.role,
    created_by: actor.kind === 'system' ? null : actor.id,
    created_at: now,
    last_used_at: null,
    revoked_at: null,
  };
  await repo.insertApiKey(db, row);
  await recordAudit(
    db,
    actor,
    {
      action: 'api_key.created',
      entityType: 'api_key',
      entityId: row.id,
      data: { role: input.role },
    },
    now,
  );
  return { ...presentApiKey(row), secret };
}

export async function revokeApiKey(db: Executor, actor: Actor, id: string, now: number) {
  if (!(await repo.findApiKey(db, actor.organisationId, id))) throw notFound('api_key');
  await repo.revokeApiKey(db, actor.organisationId, id, now);
  await recordAudit(
    db,
    actor,
    { action: 'api_key.revoked', entityType: 'api_key', entityId: id },
    now,
  );
}
