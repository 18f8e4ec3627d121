import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';
import { emailValue } from '../contacts/contacts.schemas.ts';

const HOUR_MS = 3_600_000;
const listMax = 10_000;

/**
 * Which contacts a send offers to the rules: everybody, a segment, one account manager's customers,
 * a filter, or a list of email addresses / external ids (the admin app parses a small CSV itself).
 */
export const selectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('all') }),
  z.strictObject({ kind: z.literal('segment'), segment: z.string().trim().min(1).max(100) }),
  z.strictObject({ kind: z.literal('owner'), ownerEmployeeId: z.uuid() }),
  z.strictObject({
    kind: z.literal('filter'),
    language: z.enum(['nl', 'en']).optional(),
    accountId: z.uuid().optional(),
    segment: z.string().trim().min(1).max(100).optional(),
    ownerEmployeeId: z.uuid().optional(),
  }),
  z
    .strictObject({
      kind: z.literal('list'),
      emails: z.array(emailValue.pipe(z.string())).max(listMax).optional(),
      externalIds: z.array(z.string().trim().min(1).max(100)).max(listMax).optional(),
    })
    .refine((s) => (s.emails?.length ?? 0) + (s.externalIds?.length ?? 0) > 0, {
      params: { problem: 'required' },
      path: ['emails'],
    }),
  // Known contacts by id: what the visit trigger (and an integrator holding ids) selects.
  z.strictObject({
    kind: z.literal('contacts'),
    contactIds: z.array(z.uuid()).min(1).max(listMax),
  }),
]);
export type Selection = z.infer<typeof selectionSchema>;

const instant = z.iso.datetime({ offset: true }).transform((v) => Date.parse(v));

/** Send now, or spread over [start, end) in evenly spaced waves (continuous NPS). */
export const scheduleSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('now') }),
  z
    .strictObject({
      kind: z.literal('waves'),
      start: instant,
      end: instant,
      waves: z.number().int().min(1).max(366),
    })
    .superRefine((s, ctx) => {
      if (s.end <= s.start) {
        ctx.addIssue({ code: 'custom', path: ['end'], params: { problem: 'end_before_start' } });
      } else if ((s.end - s.start) / s.waves < HOUR_MS) {
        ctx.addIssue({ code: 'custom', path: ['waves'], params: { problem: 'too_many_waves' } });
      }
    }),
]);
export type Schedule = z.infer<typeof scheduleSchema>;

export const previewSendSchema = z.strictObject({
  selection: selectionSchema,
  schedule: scheduleSchema.default({ kind: 'now' }),
  /** How many skipped contacts to list with their explanation. */
  sampleSize: z.number().int().min(0).max(500).default(50),
});
export type PreviewSendInput = z.infer<typeof previewSendSchema>;

export const createSendSchema = z.strictObject({
  selection: selectionSchema,
  schedule: scheduleSchema,
});
export type CreateSendInput = z.infer<typeof createSendSchema>;

export const surveyParams = z.strictObject({ id: z.uuid() });
export const sendParams = z.strictObject({ id: z.uuid(), sendId: z.uuid() });

export const listSendsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
});

export const listInvitationsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
  sendId: z.uuid().optional(),
  status: z
    .enum(['planned', 'queued', 'sent', 'bounced', 'failed', 'skipped', 'cancelled'])
    .optional(),
});
export type ListInvitationsInput = z.infer<typeof listInvitationsSchema>;
