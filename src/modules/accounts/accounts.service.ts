import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';
import { timestamp } from '../../shared/api-schemas.ts';
import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import { pageRequest, toPage } from '../../shared/cursor.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { foldForSearch } from '../../shared/text.ts';
import type { Actor } from '../auth/actor.ts';
import { inScope, recordScope } from '../auth/record-scope.ts';
import { changeRecord, createRecord, found } from '../named-records/named-record.service.ts';
import { accountHasContactOf, employeeExists } from '../contacts/contacts.repository.ts';
import { accountOwnerChanged } from './accounts.events.ts';
import * as repo from './accounts.repository.ts';
import { iso } from '../../shared/time.ts';

export const accountSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  externalId: z.string().trim().max(100).nullish(),
  segment: z.string().trim().max(100).nullish(),
  ownerEmployeeId: z.uuid().nullish(),
});
export const updateAccountSchema = accountSchema.partial();
export const listAccountsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
  q: z.string().trim().max(200).optional(),
});

/** The account's search key is its folded name, so imports can match "Bakkerij Çelik B.V." exactly. */
export const accountSearchText = (name: string): string => foldForSearch(name);

export const accountJsonSchema = z.object({
  id: z.string(),
  externalId: z.string().nullable(),
  name: z.string(),
  segment: z.string().nullable(),
  ownerEmployeeId: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type AccountJson = z.output<typeof accountJsonSchema>;

export function presentAccount(a: repo.AccountRow): AccountJson {
  return {
    id: a.id,
    externalId: a.external_id,
    name: a.name,
    segment: a.segment,
    ownerEmployeeId: a.owner_employee_id,
    createdAt: iso(a.created_at),
    updatedAt: iso(a.updated_at),
  };
}

export async function listAccounts(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof listAccountsSchema>,
) {
  const rows = await repo.listAccounts(db, actor.organisationId, {
    q: input.q,
    scope: recordScope(actor),
    ...pageRequest(input),
  });
  return toPage(rows, input.limit, presentAccount);
}

/**
 * One account. An account manager reads their own accounts, and the company of a customer of
 * theirs that a colleague manages (the customer's card names it); its other contacts stay out of
 * their reach (the contacts list keeps its scope).
 */
export async function getAccount(db: Executor, actor: Actor, id: string) {
  const row = await repo.findAccount(db, actor.organisationId, id);
  const scope = recordScope(actor);
  const visible =
    row !== undefined &&
    (inScope(scope, row.owner_employee_id) ||
      (scope.kind === 'employee' &&
        (await accountHasContactOf(db, actor.organisationId, id, scope.employeeId))));
  if (!visible) throw notFound('account');
  return presentAccount(row);
}

async function checkOwner(db: Executor, actor: Actor, ownerEmployeeId: string | null | undefined) {
  if (ownerEmployeeId && !(await employeeExists(db, actor.organisationId, ownerEmployeeId))) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'ownerEmployeeId', problem: 'unknown_employee' }],
    });
  }
}

/** One account per customer number (a KvK number, say): a second is refused on its field. */
async function checkNumberFree(
  db: Executor,
  actor: Actor,
  externalId: string | null,
  id: string | null,
): Promise<void> {
  if (externalId === null) return;
  const holder = await repo.findAccountByExternalId(db, actor.organisationId, externalId);
  if (holder && holder.id !== id) {
    throw new AppError('conflict', { issues: [{ field: 'externalId', problem: 'taken' }] });
  }
}

export async function createAccount(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof accountSchema>,
  now: number,
) {
  await checkOwner(db, actor, input.ownerEmployeeId);
  await checkNumberFree(db, actor, input.externalId ?? null, null);
  const row = {
    id: newId(),
    organisation_id: actor.organisationId,
    external_id: input.externalId ?? null,
    name: input.name,
    segment: input.segment ?? null,
    owner_employee_id: input.ownerEmployeeId ?? null,
    search_text: accountSearchText(input.name),
    created_at: now,
    updated_at: now,
  };
  return presentAccount(await createRecord(db, actor, 'account', row, repo.insertAccount, now));
}

/**
 * Changes an account. A new account manager is announced (`account.owner-changed`) in the same
 * transaction: the open cases of the company's customers that went to the previous one follow.
 */
export async function updateAccount(
  db: Executor,
  actor: Actor,
  id: string,
  input: z.infer<typeof updateAccountSchema>,
  now: number,
  deps: Deps,
) {
  const current = found(await repo.findAccount(db, actor.organisationId, id), 'account');
  await checkOwner(db, actor, input.ownerEmployeeId);
  const name = input.name ?? current.name;
  const patch = {
    name,
    external_id: input.externalId !== undefined ? input.externalId : current.external_id,
    segment: input.segment !== undefined ? input.segment : current.segment,
    owner_employee_id:
      input.ownerEmployeeId !== undefined ? input.ownerEmployeeId : current.owner_employee_id,
    search_text: accountSearchText(name),
    updated_at: now,
  };
  if (patch.external_id !== current.external_id) {
    await checkNumberFree(db, actor, patch.external_id, id);
  }
  await changeRecord(
    db,
    actor,
    { entity: 'account', id, verb: 'updated' },
    () => repo.updateAccount(db, actor.organisationId, id, patch),
    now,
  );
  if (patch.owner_employee_id !== current.owner_employee_id) {
    const data = {
      accountId: id,
      previousOwnerEmployeeId: current.owner_employee_id,
      ownerEmployeeId: patch.owner_employee_id,
    };
    await emit(
      db,
      deps,
      accountOwnerChanged,
      [{ organisationId: actor.organisationId, data }],
      now,
    );
  }
  return presentAccount({ ...current, ...patch });
}
