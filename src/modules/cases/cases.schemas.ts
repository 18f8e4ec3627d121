import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';
import { INVITATION_SKIP_REASONS } from '../invitations/invitation-skip-reasons.ts';
import { invitationStatusSchema } from '../invitations/invitations.presenter.ts';

export const listCasesQuery = z.strictObject({
  status: z.enum(['active', 'closed', 'all']).default('active'),
  kind: z.enum(['recovery', 'thanks']).optional(),
  /** Only my cases (the inbox of an account manager who is also a manager). */
  mine: z.enum(['true', 'false']).optional(),
  unassigned: z.enum(['true', 'false']).optional(),
  /** Only open cases whose first-contact due time has passed. */
  overdue: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(200),
  total: totalParam,
});

const note = z.string().trim().min(1).max(5000);

export const statusBody = z.strictObject({
  status: z.enum(['contacted', 'resolved', 'unresolvable']),
  note: note.nullish(),
});

export const noteBody = z.strictObject({ note });

export const contactMomentBody = z.strictObject({
  channel: z.enum(['phone', 'email']),
  note: note.nullish(),
});

export const assignBody = z.strictObject({ ownerEmployeeId: z.uuid().nullable() });

export const reportQuery = z.strictObject({
  from: z.iso.date().optional(),
  to: z.iso.date().optional(),
});

const isoTime = z.string().nullable();

export const caseSummarySchema = z.object({
  id: z.string(),
  kind: z.enum(['recovery', 'thanks']),
  status: z.enum(['open', 'contacted', 'resolved', 'unresolvable', 'changed_by_customer']),
  priority: z.enum(['low', 'normal', 'high', 'urgent']),
  reasons: z.array(z.string()),
  themeWords: z.array(z.string()),
  score: z.number().int(),
  contact: z.object({ id: z.string(), name: z.string().nullable() }),
  owner: z.object({ employeeId: z.string(), name: z.string().nullable() }).nullable(),
  ownerRule: z.string(),
  team: z.string().nullable(),
  openedAt: z.string(),
  dueAt: z.string(),
  overdue: z.boolean(),
  firstContactAt: isoTime,
  escalatedAt: isoTime,
  closedAt: isoTime,
  followUp: z.object({
    score: z.number().int().nullable(),
    at: isoTime,
    wonBack: z.boolean().nullable(),
  }),
});

export const caseListSchema = z.object({
  items: z.array(caseSummarySchema),
  total: z
    .number()
    .int()
    .optional()
    .describe('Cases the filter matches, whatever `limit`; only with `?total=true`'),
});

export const caseDetailSchema = caseSummarySchema.extend({
  comment: z.string().nullable(),
  mayContact: z.boolean(),
  contact: z.object({
    id: z.string(),
    name: z.string().nullable(),
    email: z.string().nullable(),
    phone: z.string().nullable(),
    language: z.string(),
    account: z.string().nullable(),
    consent: z.object({ status: z.string(), at: isoTime, unsubscribedAt: isoTime }),
  }),
  log: z.array(
    z.object({
      id: z.string(),
      at: z.string(),
      type: z.string(),
      by: z.string().nullable(),
      note: z.string().nullable(),
      detail: z.record(z.string(), z.unknown()),
    }),
  ),
  history: z.object({
    answers: z.array(
      z.object({
        id: z.string(),
        survey: z.string(),
        score: z.number().int(),
        category: z.string(),
        comment: z.string().nullable(),
        mayContact: z.boolean(),
        answeredAt: z.string(),
      }),
    ),
    cases: z.array(
      z.object({
        id: z.string(),
        kind: z.string(),
        status: z.string(),
        score: z.number().int(),
        openedAt: z.string(),
      }),
    ),
    invitations: z.array(
      z.object({
        id: z.string(),
        survey: z.string(),
        status: invitationStatusSchema,
        /** Why it was not sent (`invitation-skip-reasons.ts`); the admin app words each one. */
        skipReason: z.enum([...INVITATION_SKIP_REASONS, 'other']).nullable(),
        plannedAt: isoTime,
        sentAt: isoTime,
        respondedAt: isoTime,
      }),
    ),
  }),
  allowed: z.object({ work: z.boolean(), assign: z.boolean(), statuses: z.array(z.string()) }),
});

const interval = z
  .object({ estimate: z.number(), low: z.number(), high: z.number(), level: z.number() })
  .nullable();
const durations = z.object({
  count: z.number(),
  medianHours: z.number().nullable(),
  medianWorkingDays: z.number().nullable(),
});
const group = z.object({
  cases: z.number(),
  active: z.number(),
  resolved: z.number(),
  unresolvable: z.number(),
  changedByCustomer: z.number(),
  followUpsAnswered: z.number(),
  wonBack7: interval,
  wonBack9: interval,
  firstContact: durations,
  resolution: durations,
  closedWithin48h: interval,
});

export const caseReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  overall: group,
  byOwner: z.array(
    group.extend({ ownerEmployeeId: z.string().nullable(), name: z.string().nullable() }),
  ),
  byTeam: z.array(group.extend({ team: z.string().nullable() })),
});
