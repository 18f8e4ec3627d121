import { z } from 'zod';
import type { EventEnvelope, EventType } from '../../platform/events/define-event.ts';
import {
  caseChange,
  caseFacts,
  caseOpened,
  caseOutcome,
  caseResolved,
  caseUpdated,
} from '../cases/cases.events.ts';
import { responseSaved } from '../responses/responses.events.ts';
import {
  ambassadorJoined,
  ambassadorJoinedData,
  referralConverted,
  referralConvertedData,
  referralCreated,
  referralCreatedData,
  rewardIssued,
  rewardIssuedData,
  rewardRedeemed,
  rewardRedeemedData,
} from '../ambassadors/ambassadors.events.ts';

/** One domain event turned into webhook events (a source may give several types, or none). */
export interface WebhookSource<D> {
  event: EventType<D>;
  /** The webhook event types this source can produce (for the endpoint form and validation). */
  types: readonly string[];
  /** The shape of `data` in the payload (moments as ISO times): the OpenAPI `webhooks` publish it. */
  data: z.ZodType;
  toWebhook(e: EventEnvelope<D>): { type: string; data: Record<string, unknown> } | null;
}

function source<D>(s: WebhookSource<D>): WebhookSource<unknown> {
  return s;
}

/**
 * `data` of `response.created` and `response.updated`: ids and facts of the answer, never the
 * comment or a name. `locationId` is the location (vestiging) the answer keeps: its contact's at
 * the first answer, or the one the anonymous link or QR poster names; null when there is none.
 */
export const responseWebhookDataSchema = z.object({
  responseId: z.string(),
  surveyId: z.string(),
  contactId: z.string().nullable(),
  channel: z.enum(['email', 'anonymous']),
  score: z.number().int().min(0).max(10),
  category: z.enum(['promoter', 'passive', 'detractor']),
  previousScore: z.number().int().min(0).max(10).nullable(),
  hasComment: z.boolean(),
  mayContact: z.boolean(),
  locationId: z.string().nullable(),
  answeredAt: z.iso.datetime(),
});
type ResponseWebhookData = z.output<typeof responseWebhookDataSchema>;

/** `data` of the `case.*` events: the case's facts, its moments as ISO times. */
const caseWebhookData = caseFacts.extend({ openedAt: z.iso.datetime(), dueAt: z.iso.datetime() });

/**
 * THE catalogue of outgoing webhook events. A module that wants its events sent to webhooks adds
 * an entry here (ambassadors, visits, …): the subscribers, the validation of an endpoint's events
 * and the OpenAPI enum all follow from this list. Data are facts and ids, never names or comments.
 */
export const WEBHOOK_SOURCES: readonly WebhookSource<unknown>[] = [
  source({
    event: responseSaved,
    types: ['response.created', 'response.updated'],
    data: responseWebhookDataSchema,
    toWebhook: (e) => ({
      type: e.data.kind === 'created' ? 'response.created' : 'response.updated',
      data: {
        responseId: e.data.responseId,
        surveyId: e.data.surveyId,
        contactId: e.data.contactId,
        channel: e.data.channel,
        score: e.data.score,
        category: e.data.category,
        previousScore: e.data.previousScore,
        hasComment: e.data.hasComment,
        mayContact: e.data.mayContact,
        locationId: e.data.locationId,
        answeredAt: new Date(e.data.answeredAt).toISOString(),
      } satisfies ResponseWebhookData,
    }),
  }),
  source({
    event: caseOpened,
    types: ['case.opened'],
    data: caseWebhookData,
    toWebhook: (e) => ({ type: 'case.opened', data: caseData(e.data) }),
  }),
  source({
    event: caseUpdated,
    types: ['case.updated'],
    data: caseWebhookData.extend({ change: caseChange }),
    toWebhook: (e) => ({ type: 'case.updated', data: caseData(e.data) }),
  }),
  source({
    event: caseResolved,
    types: ['case.resolved'],
    data: caseWebhookData.extend({ outcome: caseOutcome }),
    toWebhook: (e) => ({ type: 'case.resolved', data: caseData(e.data) }),
  }),
  // The referral programme (issue 12): ids and facts, never a friend's or ambassador's details.
  source({
    event: ambassadorJoined,
    types: ['ambassador.joined'],
    data: ambassadorJoinedData,
    toWebhook: (e) => ({ type: 'ambassador.joined', data: { ...e.data } }),
  }),
  source({
    event: referralCreated,
    types: ['referral.created'],
    data: referralCreatedData,
    toWebhook: (e) => ({ type: 'referral.created', data: { ...e.data } }),
  }),
  source({
    event: referralConverted,
    types: ['referral.converted'],
    data: referralConvertedData.extend({ convertedAt: z.iso.datetime() }),
    toWebhook: (e) => ({
      type: 'referral.converted',
      data: { ...e.data, convertedAt: new Date(e.data.convertedAt).toISOString() },
    }),
  }),
  source({
    event: rewardIssued,
    types: ['reward.issued'],
    data: rewardIssuedData.extend({ validUntil: z.iso.datetime().nullable() }),
    toWebhook: (e) => ({
      type: 'reward.issued',
      data: {
        ...e.data,
        validUntil: e.data.validUntil === null ? null : new Date(e.data.validUntil).toISOString(),
      },
    }),
  }),
  source({
    event: rewardRedeemed,
    types: ['reward.redeemed'],
    data: rewardRedeemedData.extend({ redeemedAt: z.iso.datetime() }),
    toWebhook: (e) => ({
      type: 'reward.redeemed',
      data: { ...e.data, redeemedAt: new Date(e.data.redeemedAt).toISOString() },
    }),
  }),
];

function caseData(d: { openedAt: number; dueAt: number } & Record<string, unknown>) {
  return {
    ...d,
    openedAt: new Date(d.openedAt).toISOString(),
    dueAt: new Date(d.dueAt).toISOString(),
  };
}

/** The test event of the "send test event" button. */
export const TEST_EVENT_TYPE = 'webhook.test';

export const WEBHOOK_EVENT_TYPES: readonly string[] = [
  ...new Set(WEBHOOK_SOURCES.flatMap((s) => s.types)),
];

export const webhookEventTypeSchema = z
  .string()
  .refine((t) => WEBHOOK_EVENT_TYPES.includes(t), { message: 'unknown_event_type' });
