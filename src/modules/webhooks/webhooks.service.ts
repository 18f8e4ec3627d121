import { randomBytes } from 'node:crypto';
import type { Executor } from '../../db/database.ts';
import type { Locale, WebhookDeliveryTable } from '../../db/schema.ts';
import { slackMessage, teamsMessage } from '../../domain/webhooks/chat-formats.ts';
import type { ChatMessage } from '../../domain/webhooks/chat-formats.ts';
import {
  formatSecret,
  judgeAnswer,
  webhookBody,
  webhookHeaders,
} from '../../domain/webhooks/standard-webhooks.ts';
import { checkTargetUrl } from '../../domain/webhooks/target-address.ts';
import {
  QUIET_AFTER_NO_ANSWER_MS,
  afterAttempt,
  probing,
  tryNow,
  type Silence,
} from '../../domain/webhooks/unanswered-endpoint.ts';
import { hasMessage, t } from '../../i18n/messages.ts';
import type { Deps } from '../../platform/deps.ts';
import type { JobContext, JobResult } from '../../platform/jobs/define-job.ts';
import { enqueueMany } from '../../platform/jobs/define-job.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { createSecretBox } from '../../shared/secret-box.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { TEST_EVENT_TYPE } from './webhook-catalogue.ts';
import { postWebhook, sign, type SendResult } from './webhook-sender.ts';
import { webhookDeliveryJob } from './webhooks.jobs.ts';
import * as repo from './webhooks.repository.ts';
import type { DeliveryRow, EndpointRow } from './webhooks.repository.ts';
import { deliveryReason } from './delivery-reason.ts';
import { endpointDisabledCode } from './endpoint-disabled-reason.ts';

/** After a rotation the old secret keeps signing (a second signature) for a day. */
export const ROTATION_GRACE_MS = 24 * 3_600_000;

type Config = Deps['config'];

function box(config: Config) {
  if (!config.secretKey) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'secret', problem: 'secret_key_missing' }],
    });
  }
  return createSecretBox(config.secretKey);
}

const context = (endpointId: string) => `webhook:${endpointId}`;

function openSecret(config: Config, endpointId: string, sealed: string): string {
  if (!config.secretKey) throw new Error('SECRET_KEY is not set: webhook secrets cannot be read');
  const opened = createSecretBox(config.secretKey).open(sealed, context(endpointId));
  if (!opened.ok) throw new Error(`webhook secret unreadable (${opened.reason})`);
  return opened.plaintext;
}

/**
 * The secrets an endpoint was rotated away from that still sign, with their deadlines. Sealed as
 * one JSON list in `previous_secret_sealed` (a row rotated before the list kept one bare secret,
 * valid until `previous_secret_until`): a second rotation within the grace keeps the first old
 * secret signing — the one the receiver may still hold — beside the one it replaces.
 */
function previousSecrets(
  config: Config,
  row: Pick<EndpointRow, 'id' | 'previous_secret_sealed' | 'previous_secret_until'>,
  now: number,
): { secret: string; until: number }[] {
  if (!row.previous_secret_sealed || row.previous_secret_until === null) return [];
  if (row.previous_secret_until <= now) return [];
  const opened = openSecret(config, row.id, row.previous_secret_sealed);
  const all = opened.startsWith('[')
    ? (JSON.parse(opened) as { secret: string; until: number }[])
    : [{ secret: opened, until: row.previous_secret_until }];
  return all.filter((p) => p.until > now);
}

export function presentEndpoint(row: EndpointRow, now: number) {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    events: JSON.parse(row.events) as string[],
    format: row.format,
    enabled: row.enabled === 1,
    disabledReason: row.disabled_reason,
    disabledReasonCode: endpointDisabledCode(row.disabled_reason),
    rotating: row.previous_secret_until !== null && row.previous_secret_until > now,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

function checkUrl(config: Config, url: string) {
  const problem = checkTargetUrl(url, config.WEBHOOK_ALLOW_PRIVATE);
  if (problem)
    throw new AppError('validation_failed', {
      issues: [{ field: 'url', problem: `webhook_${problem}` }],
    });
}

export type EndpointInput = {
  url: string;
  events: string[];
  format: 'standard' | 'slack' | 'teams';
  description?: string | null | undefined;
  enabled?: boolean | undefined;
};

/** Creates an endpoint; the answer carries its `whsec_` secret, the only time it is shown. */
export async function createEndpoint(
  db: Executor,
  deps: Deps,
  actor: Actor,
  input: EndpointInput,
  now: number,
) {
  checkUrl(deps.config, input.url);
  const id = newId();
  const secret = formatSecret(randomBytes(32));
  await repo.insertEndpoint(db, {
    id,
    organisation_id: actor.organisationId,
    url: input.url,
    description: input.description ?? null,
    events: JSON.stringify([...new Set(input.events)]),
    format: input.format,
    enabled: input.enabled === false ? 0 : 1,
    disabled_reason: null,
    secret_sealed: box(deps.config).seal(secret, context(id)),
    previous_secret_sealed: null,
    previous_secret_until: null,
    created_at: now,
    updated_at: now,
  });
  const row = await repo.findEndpoint(db, actor.organisationId, id);
  if (!row) throw notFound('webhook');
  return { ...presentEndpoint(row, now), secret };
}

async function endpointOf(db: Executor, actor: Actor, id: string) {
  const row = await repo.findEndpoint(db, actor.organisationId, id);
  if (!row) throw notFound('webhook');
  return row;
}

export async function getEndpoint(db: Executor, actor: Actor, id: string, now: number) {
  return presentEndpoint(await endpointOf(db, actor, id), now);
}

export async function listEndpoints(db: Executor, actor: Actor, now: number) {
  const rows = await repo.listEndpoints(db, actor.organisationId);
  return { items: rows.map((row) => presentEndpoint(row, now)) };
}

export async function updateEndpoint(
  db: Executor,
  deps: Deps,
  actor: Actor,
  id: string,
  input: Partial<EndpointInput>,
  now: number,
) {
  await endpointOf(db, actor, id);
  if (input.url !== undefined) checkUrl(deps.config, input.url);
  await repo.updateEndpoint(db, actor.organisationId, id, {
    ...(input.url !== undefined ? { url: input.url } : {}),
    ...(input.events !== undefined ? { events: JSON.stringify([...new Set(input.events)]) } : {}),
    ...(input.format !== undefined ? { format: input.format } : {}),
    ...(input.description !== undefined ? { description: input.description } : {}),
    ...(input.enabled !== undefined
      ? { enabled: input.enabled ? 1 : 0, disabled_reason: null }
      : {}),
    updated_at: now,
  });
  return getEndpoint(db, actor, id, now);
}

export async function removeEndpoint(db: Executor, actor: Actor, id: string) {
  if (!(await repo.deleteEndpoint(db, actor.organisationId, id))) throw notFound('webhook');
}

/** Secrets rotated away from that still sign, at most (a header with one signature each). */
const MAX_PREVIOUS_SECRETS = 4;

/**
 * A new secret, shown once; the old one still signs for `ROTATION_GRACE_MS`, and so does every
 * older one whose grace has not ended (rotated twice in a day: the receiver may hold either).
 */
export async function rotateSecret(
  db: Executor,
  deps: Deps,
  actor: Actor,
  id: string,
  now: number,
) {
  const row = await endpointOf(db, actor, id);
  const secret = formatSecret(randomBytes(32));
  const sealer = box(deps.config);
  const until = now + ROTATION_GRACE_MS;
  // The newest few: every one adds a signature to each delivery's header.
  const previous = [
    ...previousSecrets(deps.config, row, now),
    { secret: openSecret(deps.config, id, row.secret_sealed), until },
  ].slice(-MAX_PREVIOUS_SECRETS);
  await repo.updateEndpoint(db, actor.organisationId, id, {
    secret_sealed: sealer.seal(secret, context(id)),
    previous_secret_sealed: sealer.seal(JSON.stringify(previous), context(id)),
    previous_secret_until: until,
    updated_at: now,
  });
  return {
    ...(await getEndpoint(db, actor, id, now)),
    secret,
    previousSecretValidUntil: iso(now + ROTATION_GRACE_MS),
  };
}

function deliveryRow(
  organisationId: string,
  endpointId: string,
  type: string,
  payload: string,
  now: number,
  messageId = `msg_${newId().replace(/-/g, '')}`,
): WebhookDeliveryTable {
  return {
    id: newId(),
    organisation_id: organisationId,
    endpoint_id: endpointId,
    message_id: messageId,
    event_type: type,
    payload,
    status: 'pending',
    attempts: 0,
    last_status_code: null,
    last_duration_ms: null,
    last_error: null,
    next_attempt_at: now,
    delivered_at: null,
    created_at: now,
  };
}

/** The organisation's enabled endpoints, with the event types each one takes. */
async function enabledEndpointsOf(trx: Executor, organisationId: string) {
  return (await repo.listEnabledEndpoints(trx, organisationId)).map((ep) => ({
    id: ep.id,
    events: new Set(JSON.parse(ep.events) as string[]),
  }));
}

/**
 * The job group of an endpoint's deliveries: one delivery job per endpoint runs at a time, across
 * every worker and process, so an endpoint that hangs holds one worker slot, not one per job, and
 * its deliveries go out in the order they were made.
 */
const deliveryGroup = (endpointId: string) => `webhook:${endpointId}`;

/**
 * In the transaction of the cause: a delivery row and a job for every enabled endpoint of the
 * organisation that subscribed to the event type (transactional outbox: no event is sent for a
 * change that rolled back, none is lost for one that committed). One lookup of the endpoints per
 * organisation, then one insert of all deliveries and one of all jobs: a job per endpoint, its
 * deliveries in the order of their events.
 */
export async function fanOut(
  trx: Executor,
  events: readonly { organisationId: string; type: string; occurredAt: number; data: unknown }[],
  now: number,
): Promise<void> {
  const byOrg = new Map<string, (typeof events)[number][]>();
  for (const e of events) {
    const list = byOrg.get(e.organisationId);
    if (list) list.push(e);
    else byOrg.set(e.organisationId, [e]);
  }
  const rows: WebhookDeliveryTable[] = [];
  const jobs: {
    payload: { deliveryIds: string[] };
    organisationId: string;
    now: number;
    groupKey: string;
  }[] = [];
  for (const [org, list] of byOrg) {
    const endpoints = await enabledEndpointsOf(trx, org);
    if (endpoints.length === 0) continue;
    const byEndpoint = new Map<string, string[]>();
    for (const e of list) {
      const payload = webhookBody(e.type, e.occurredAt, e.data);
      for (const ep of endpoints) {
        if (!ep.events.has(e.type)) continue;
        const row = deliveryRow(org, ep.id, e.type, payload, now);
        rows.push(row);
        const ids = byEndpoint.get(ep.id);
        if (ids) ids.push(row.id);
        else byEndpoint.set(ep.id, [row.id]);
      }
    }
    for (const [endpointId, deliveryIds] of byEndpoint) {
      jobs.push({
        payload: { deliveryIds },
        organisationId: org,
        now,
        groupKey: deliveryGroup(endpointId),
      });
    }
  }
  if (rows.length === 0) return;
  await repo.insertDeliveries(trx, rows);
  await enqueueMany(trx, webhookDeliveryJob, jobs);
}

/** The "send test event" button: one delivery of `webhook.test` to this endpoint only. */
export async function sendTestEvent(db: Executor, actor: Actor, id: string, now: number) {
  const ep = await endpointOf(db, actor, id);
  const row = deliveryRow(
    actor.organisationId,
    ep.id,
    TEST_EVENT_TYPE,
    webhookBody(TEST_EVENT_TYPE, now, { message: 'Test event from Loyaal', endpointId: ep.id }),
    now,
  );
  await repo.insertDeliveries(db, [row]);
  await enqueueMany(db, webhookDeliveryJob, [
    {
      payload: { deliveryIds: [row.id] },
      organisationId: actor.organisationId,
      now,
      groupKey: deliveryGroup(ep.id),
    },
  ]);
  return presentDelivery(row, []);
}

/** Sends one delivery again, with the same message id (receivers deduplicate on it). */
export async function replayDelivery(
  db: Executor,
  actor: Actor,
  endpointId: string,
  deliveryId: string,
  now: number,
) {
  await endpointOf(db, actor, endpointId);
  const old = await repo.findDelivery(db, actor.organisationId, deliveryId);
  if (!old || old.endpoint_id !== endpointId) throw notFound('delivery');
  const row = deliveryRow(
    actor.organisationId,
    endpointId,
    old.event_type,
    old.payload,
    now,
    old.message_id,
  );
  await repo.insertDeliveries(db, [row]);
  await enqueueMany(db, webhookDeliveryJob, [
    {
      payload: { deliveryIds: [row.id] },
      organisationId: actor.organisationId,
      now,
      groupKey: deliveryGroup(endpointId),
    },
  ]);
  return presentDelivery(row, []);
}

type AttemptRow = Awaited<ReturnType<typeof repo.listAttempts>>[number];

function presentDelivery(row: DeliveryRow, attempts: readonly AttemptRow[]) {
  return {
    id: row.id,
    messageId: row.message_id,
    eventType: row.event_type,
    status: row.status,
    attempts: row.attempts,
    lastStatusCode: row.last_status_code,
    lastDurationMs: row.last_duration_ms,
    lastError: row.last_error,
    lastReason:
      row.status === 'delivered' ? null : deliveryReason(row.last_error, row.last_status_code),
    deliveredAt: iso(row.delivered_at),
    createdAt: iso(row.created_at),
    log: attempts.map((a) => ({
      at: iso(a.at),
      statusCode: a.status_code,
      durationMs: a.duration_ms,
      error: a.error,
      reason: deliveryReason(a.error, a.status_code),
    })),
  };
}

export async function listDeliveries(db: Executor, actor: Actor, endpointId: string) {
  await endpointOf(db, actor, endpointId);
  const rows = await repo.listDeliveries(db, actor.organisationId, endpointId, 100);
  const attempts = await repo.listAttempts(
    db,
    actor.organisationId,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((r) =>
      presentDelivery(
        r,
        attempts.filter((a) => a.delivery_id === r.id),
      ),
    ),
  };
}

function chatMessage(
  type: string,
  data: Record<string, unknown>,
  locale: Locale,
  publicUrl: string,
): ChatMessage {
  const base = publicUrl.replace(/\/+$/, '');
  const title = t(locale, `webhooks.chat.${type.replace('.', '_')}` as Parameters<typeof t>[1], {
    score: typeof data.score === 'number' ? String(data.score) : '',
  });
  const facts: [string, string][] = [];
  if (typeof data.score === 'number')
    facts.push([t(locale, 'cases.mail.score'), String(data.score)]);
  // The API's values (`detractor`, `contacted`, `high`) in the organisation's language.
  const value = (prefix: string, v: string) => {
    const key = `${prefix}.${v}`;
    return hasMessage(key) ? t(locale, key) : v;
  };
  if (typeof data.category === 'string')
    facts.push([t(locale, 'webhooks.chat.category'), value('csv.category', data.category)]);
  if (typeof data.status === 'string')
    facts.push([t(locale, 'webhooks.chat.status'), value('webhooks.chat.status', data.status)]);
  if (typeof data.priority === 'string')
    facts.push([
      t(locale, 'webhooks.chat.priority'),
      value('webhooks.chat.priority', data.priority),
    ]);
  const link =
    typeof data.caseId === 'string'
      ? { label: t(locale, 'cases.mail.open_case'), url: `${base}/admin/cases/${data.caseId}` }
      : null;
  return { title, facts, link };
}

/** The body for the endpoint's format: Standard Webhooks JSON, or a Slack or Teams message. */
function bodyFor(
  format: EndpointRow['format'],
  payload: string,
  locale: Locale,
  publicUrl: string,
): string {
  if (format === 'standard') return payload;
  const parsed = JSON.parse(payload) as { type: string; data: Record<string, unknown> };
  const message = chatMessage(parsed.type, parsed.data, locale, publicUrl);
  return JSON.stringify(format === 'slack' ? slackMessage(message) : teamsMessage(message));
}

/** A delivery attempt that failed; `answered`: the receiver answered (with a status that is no success). */
class DeliveryFailed extends Error {
  readonly answered: boolean;
  constructor(message: string, answered: boolean) {
    super(message);
    this.answered = answered;
  }
}

/**
 * One attempt of a job's deliveries to one endpoint, in order; throws (to be retried on the
 * schedule) when one failed, after the others had their attempt — those delivered are skipped on
 * the retry. A receiver that did not answer at all (down, timing out) is not tried again for the
 * rest in this attempt: each would wait the same time limit.
 */
export async function deliverAll(
  deliveryIds: readonly string[],
  ctx: JobContext,
): Promise<JobResult> {
  const [only] = deliveryIds;
  if (only !== undefined && deliveryIds.length === 1) return deliver(only, ctx);
  let failure: Error | null = null;
  let delivered = 0;
  for (const id of deliveryIds) {
    try {
      if ((await deliver(id, ctx)).status === 'success') delivered++;
    } catch (err) {
      failure ??= err instanceof Error ? err : new Error(String(err));
      if (!(err instanceof DeliveryFailed && err.answered)) break;
    }
  }
  if (failure !== null) throw failure;
  return delivered > 0
    ? { status: 'success', detail: `${delivered} of ${deliveryIds.length} delivered` }
    : { status: 'skipped', detail: `none of ${deliveryIds.length} delivered` };
}

/** The endpoints of this process that stopped answering (see unanswered-endpoint.ts). */
const silentEndpoints = new Map<string, Silence>();

/** One attempt of one delivery; throws to be retried on the schedule. */
export async function deliver(deliveryId: string, ctx: JobContext): Promise<JobResult> {
  const org = ctx.organisationId;
  if (!org) return { status: 'skipped', detail: 'no organisation' };
  const db = ctx.db.kysely;
  const d = await repo.findDelivery(db, org, deliveryId);
  if (!d) return { status: 'skipped', detail: 'delivery gone' };
  if (d.status !== 'pending') return { status: 'skipped', detail: `already ${d.status}` };
  const ep = await repo.findEndpoint(db, org, d.endpoint_id);
  if (!ep || ep.enabled !== 1) {
    await repo.updateDelivery(db, org, d.id, {
      status: 'failed',
      last_error: 'endpoint disabled',
      next_attempt_at: null,
    });
    return { status: 'skipped', detail: 'endpoint disabled' };
  }
  const now = ctx.now();
  const timestamp = Math.floor(now / 1000);
  const locale = await repo.findOrganisationLocale(db, org);
  const body = bodyFor(ep.format, d.payload, locale, ctx.config.publicUrl);
  const secrets = [
    openSecret(ctx.config, ep.id, ep.secret_sealed),
    ...previousSecrets(ctx.config, ep, now).map((p) => p.secret),
  ];
  const headers = webhookHeaders(
    d.message_id,
    timestamp,
    secrets.map((s) => sign(s, d.message_id, timestamp, body)),
  );
  // An endpoint that gave no answer a moment ago is not tried again until its quiet period
  // ends, and then by one delivery at a time (unanswered-endpoint.ts): its deliveries do not
  // take every worker slot for the whole time limit. Known per process.
  const silence = silentEndpoints.get(ep.id);
  const decision = tryNow(silence, now);
  let result: SendResult;
  if (decision === 'skip' && silence) {
    const since = iso(silence.quietUntil - QUIET_AFTER_NO_ANSWER_MS);
    result = { status: null, durationMs: 0, error: `not tried: no answer since ${since}` };
  } else {
    if (decision === 'probe' && silence) silentEndpoints.set(ep.id, probing(silence));
    result = await postWebhook(ep.url, headers, body, {
      allowPrivate: ctx.config.WEBHOOK_ALLOW_PRIVATE,
    });
    const next = afterAttempt(result.status !== null, ctx.now());
    if (next) silentEndpoints.set(ep.id, next);
    else silentEndpoints.delete(ep.id);
  }
  const verdict = judgeAnswer(result.status);
  const common = {
    attempts: d.attempts + 1,
    last_status_code: result.status,
    last_duration_ms: result.durationMs,
    last_error: result.error,
  };
  // The attempt and what it did to its delivery (and, on a 410, to its endpoint) are written in
  // one transaction: a reader sees a "200 · 4 ms" attempt only on a delivery already "delivered".
  await db.transaction().execute(async (trx) => {
    await repo.insertAttempt(trx, {
      id: newId(),
      organisation_id: org,
      delivery_id: d.id,
      at: now,
      status_code: result.status,
      duration_ms: result.durationMs,
      error: result.error,
    });
    if (verdict === 'delivered') {
      await repo.updateDelivery(trx, org, d.id, {
        ...common,
        status: 'delivered',
        delivered_at: now,
        next_attempt_at: null,
      });
    } else if (verdict === 'gone') {
      await repo.updateDelivery(trx, org, d.id, {
        ...common,
        status: 'failed',
        next_attempt_at: null,
      });
      await repo.disableEndpoint(trx, org, ep.id, 'gone', now);
    } else {
      await repo.updateDelivery(trx, org, d.id, common);
    }
  });
  if (verdict === 'delivered')
    return { status: 'success', detail: `HTTP ${result.status} in ${result.durationMs} ms` };
  if (verdict === 'gone') return { status: 'skipped', detail: 'HTTP 410: endpoint disabled' };
  throw new DeliveryFailed(result.error ?? `HTTP ${result.status}`, result.status !== null);
}

/** After the job's last attempt: its deliveries not delivered by then are failed for good. */
export async function deliveriesFailedForGood(
  deliveryIds: readonly string[],
  ctx: JobContext,
  error: string,
) {
  if (!ctx.organisationId) return;
  await repo.failPendingDeliveries(ctx.db.kysely, ctx.organisationId, deliveryIds, error);
}
