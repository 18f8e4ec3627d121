import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';
import { timestamp } from '../../shared/api-schemas.ts';
import type { Executor } from '../../db/database.ts';
import { pageRequest, toPage } from '../../shared/cursor.ts';
import { AppError } from '../../shared/errors.ts';
import { foldForSearch } from '../../shared/text.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { changeRecord, createRecord, found } from '../named-records/named-record.service.ts';
import * as repo from './employees.repository.ts';
import { iso } from '../../shared/time.ts';

export const employeeSchema = z.strictObject({
  name: z.string().trim().min(1).max(200),
  email: z
    .string()
    .trim()
    .max(254)
    .pipe(z.email())
    .transform((e) => e.toLowerCase())
    .nullish(),
  team: z.string().trim().max(100).nullish(),
});
export const updateEmployeeSchema = employeeSchema.partial();
export const listEmployeesSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
  q: z.string().trim().max(200).optional(),
});

/**
 * An employee's search key is their folded name alone (folded as every search key and query is),
 * so CSV imports can match "Jan de Vries" exactly; email is matched separately.
 */
export const employeeSearchText = (name: string): string => foldForSearch(name);

export const employeeJsonSchema = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  team: z.string().nullable(),
  createdAt: timestamp,
  updatedAt: timestamp,
});
export type EmployeeJson = z.output<typeof employeeJsonSchema>;

export function presentEmployee(e: repo.EmployeeRow): EmployeeJson {
  return {
    id: e.id,
    name: e.name,
    email: e.email,
    team: e.team,
    createdAt: iso(e.created_at),
    updatedAt: iso(e.updated_at),
  };
}

export async function listEmployees(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof listEmployeesSchema>,
) {
  const rows = await repo.listEmployees(db, actor.organisationId, {
    q: input.q,
    ...pageRequest(input),
  });
  return toPage(rows, input.limit, presentEmployee);
}

export async function getEmployee(db: Executor, actor: Actor, id: string) {
  return presentEmployee(found(await repo.findEmployee(db, actor.organisationId, id), 'employee'));
}

/**
 * One employee per email address: imports name account managers by address, and an address two
 * employees share would place none of their customers (`ambiguous_employee`).
 */
async function checkEmailFree(
  db: Executor,
  actor: Actor,
  email: string | null,
  id: string | null,
): Promise<void> {
  if (email === null) return;
  const holder = await repo.findEmployeeByEmail(db, actor.organisationId, email);
  if (holder && holder.id !== id) {
    throw new AppError('conflict', { issues: [{ field: 'email', problem: 'taken' }] });
  }
}

export async function createEmployee(
  db: Executor,
  actor: Actor,
  input: z.infer<typeof employeeSchema>,
  now: number,
) {
  await checkEmailFree(db, actor, input.email ?? null, null);
  const row = {
    id: newId(),
    organisation_id: actor.organisationId,
    name: input.name,
    email: input.email ?? null,
    team: input.team ?? null,
    search_text: employeeSearchText(input.name),
    created_at: now,
    updated_at: now,
  };
  return presentEmployee(await createRecord(db, actor, 'employee', row, repo.insertEmployee, now));
}

export async function updateEmployee(
  db: Executor,
  actor: Actor,
  id: string,
  input: z.infer<typeof updateEmployeeSchema>,
  now: number,
) {
  const current = found(await repo.findEmployee(db, actor.organisationId, id), 'employee');
  const name = input.name ?? current.name;
  const patch = {
    name,
    email: input.email !== undefined ? input.email : current.email,
    team: input.team !== undefined ? input.team : current.team,
    search_text: employeeSearchText(name),
    updated_at: now,
  };
  // Only a new address is checked: two employees who shared one before the check keep working.
  if (patch.email !== current.email) await checkEmailFree(db, actor, patch.email, id);
  await changeRecord(
    db,
    actor,
    { entity: 'employee', id, verb: 'updated' },
    () => repo.updateEmployee(db, actor.organisationId, id, patch),
    now,
  );
  return presentEmployee({ ...current, ...patch });
}
