import type { Executor } from '../../db/database.ts';
import type { EndpointDisabledReason } from './endpoint-disabled-reason.ts';
import type {
  WebhookAttemptTable,
  WebhookDeliveryTable,
  WebhookEndpointTable,
} from '../../db/schema.ts';

export const ENDPOINT_COLUMNS = [
  'id',
  'organisation_id',
  'url',
  'description',
  'events',
  'format',
  'enabled',
  'disabled_reason',
  'secret_sealed',
  'previous_secret_sealed',
  'previous_secret_until',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof WebhookEndpointTable)[];
export type EndpointRow = Pick<WebhookEndpointTable, (typeof ENDPOINT_COLUMNS)[number]>;

export const DELIVERY_COLUMNS = [
  'id',
  'organisation_id',
  'endpoint_id',
  'message_id',
  'event_type',
  'payload',
  'status',
  'attempts',
  'last_status_code',
  'last_duration_ms',
  'last_error',
  'next_attempt_at',
  'delivered_at',
  'created_at',
] as const satisfies readonly (keyof WebhookDeliveryTable)[];
export type DeliveryRow = Pick<WebhookDeliveryTable, (typeof DELIVERY_COLUMNS)[number]>;

export async function insertEndpoint(db: Executor, row: WebhookEndpointTable): Promise<void> {
  await db.insertInto('webhook_endpoints').values(row).execute();
}

export async function listEndpoints(db: Executor, organisationId: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function listEnabledEndpoints(db: Executor, organisationId: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(['id', 'events'])
    .where('organisation_id', '=', organisationId)
    .where('enabled', '=', 1)
    .execute();
}

export async function findEndpoint(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('webhook_endpoints')
    .select(ENDPOINT_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateEndpoint(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<WebhookEndpointTable, 'id' | 'organisation_id' | 'created_at'>>,
): Promise<void> {
  await db
    .updateTable('webhook_endpoints')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** Loyaal turns an endpoint off itself, for one of the reasons the admin app has a text for. */
export async function disableEndpoint(
  db: Executor,
  organisationId: string,
  id: string,
  reason: EndpointDisabledReason,
  now: number,
): Promise<void> {
  await updateEndpoint(db, organisationId, id, {
    enabled: 0,
    disabled_reason: reason,
    updated_at: now,
  });
}

export async function deleteEndpoint(db: Executor, organisationId: string, id: string) {
  await db
    .deleteFrom('webhook_attempts')
    .where('organisation_id', '=', organisationId)
    .where(
      'delivery_id',
      'in',
      db.selectFrom('webhook_deliveries').select('id').where('endpoint_id', '=', id),
    )
    .execute();
  await db
    .deleteFrom('webhook_deliveries')
    .where('organisation_id', '=', organisationId)
    .where('endpoint_id', '=', id)
    .execute();
  const r = await db
    .deleteFrom('webhook_endpoints')
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
  return Number(r.numDeletedRows) > 0;
}

/** Rows per insert: 15 parameters each stays far below both databases' limits. */
const DELIVERY_CHUNK = 500;

/** Inserts deliveries, a few hundred per statement (an answer batch to many endpoints is more). */
export async function insertDeliveries(db: Executor, rows: readonly WebhookDeliveryTable[]) {
  for (let i = 0; i < rows.length; i += DELIVERY_CHUNK) {
    await db
      .insertInto('webhook_deliveries')
      .values(rows.slice(i, i + DELIVERY_CHUNK))
      .execute();
  }
}

export async function findDelivery(db: Executor, organisationId: string, id: string) {
  return db
    .selectFrom('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .executeTakeFirst();
}

export async function updateDelivery(
  db: Executor,
  organisationId: string,
  id: string,
  patch: Partial<Omit<WebhookDeliveryTable, 'id' | 'organisation_id'>>,
): Promise<void> {
  await db
    .updateTable('webhook_deliveries')
    .set(patch)
    .where('organisation_id', '=', organisationId)
    .where('id', '=', id)
    .execute();
}

/** Marks these deliveries failed for good, those still pending (a delivered one stays so). */
export async function failPendingDeliveries(
  db: Executor,
  organisationId: string,
  ids: readonly string[],
  error: string,
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable('webhook_deliveries')
    .set({ status: 'failed', next_attempt_at: null, last_error: error })
    .where('organisation_id', '=', organisationId)
    .where('id', 'in', ids)
    .where('status', '=', 'pending')
    .execute();
}

export async function listDeliveries(
  db: Executor,
  organisationId: string,
  endpointId: string,
  limit: number,
) {
  return db
    .selectFrom('webhook_deliveries')
    .select(DELIVERY_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('endpoint_id', '=', endpointId)
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(limit)
    .execute();
}

export async function insertAttempt(db: Executor, row: WebhookAttemptTable): Promise<void> {
  await db.insertInto('webhook_attempts').values(row).execute();
}

export async function listAttempts(
  db: Executor,
  organisationId: string,
  deliveryIds: readonly string[],
) {
  if (deliveryIds.length === 0) return [];
  return db
    .selectFrom('webhook_attempts')
    .select(['id', 'delivery_id', 'at', 'status_code', 'duration_ms', 'error'])
    .where('organisation_id', '=', organisationId)
    .where('delivery_id', 'in', deliveryIds)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

export async function findOrganisationLocale(db: Executor, organisationId: string) {
  const row = await db
    .selectFrom('organisations')
    .select(['locale'])
    .where('id', '=', organisationId)
    .executeTakeFirst();
  return row?.locale ?? 'nl';
}
