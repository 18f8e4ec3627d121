import { z } from 'zod';

export const listNotificationsSchema = z.strictObject({
  status: z.enum(['unread', 'all']).default('all'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});
export type ListNotificationsInput = z.infer<typeof listNotificationsSchema>;

export const notificationParams = z.strictObject({ id: z.uuid() });

const periodJson = z.object({ from: z.string(), to: z.string() });

/**
 * A "celebrate" (a real rise) or "attention" (a real drop) note about an account manager or a team:
 * the month judged against the month before, each month's NPS shrunk toward the organisation and
 * its number of answers, and the posterior probability that the NPS really rose.
 */
export const notificationJson = z.object({
  id: z.string(),
  kind: z.enum(['celebrate', 'attention']),
  subject: z.object({
    kind: z.enum(['employee', 'team']),
    /** The employee's id; null for a team. */
    id: z.string().nullable(),
    /** The employee's or the team's name; null when the employee no longer exists. */
    name: z.string().nullable(),
  }),
  /** The month judged, `2026-10`. */
  period: z.string(),
  current: periodJson,
  previous: periodJson,
  before: z.object({ nps: z.number(), answers: z.number().int() }),
  after: z.object({ nps: z.number(), answers: z.number().int() }),
  probabilityOfRise: z.number(),
  createdAt: z.string(),
  /** When the reader marked it read; null while unread. */
  readAt: z.string().nullable(),
});
export type NotificationJson = z.output<typeof notificationJson>;
