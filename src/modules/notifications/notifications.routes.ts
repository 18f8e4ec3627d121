import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { pageSchema } from '../../shared/api-schemas.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import {
  listNotificationsSchema,
  notificationJson,
  notificationParams,
} from './notifications.schemas.ts';
import { listNotifications, markNotificationRead } from './notifications.service.ts';

export async function notificationRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/notifications',
    describe({
      tag: 'notifications',
      summary: 'Celebrate and attention notes: an account manager’s or team’s NPS really changed',
      description:
        'Made once a month per account manager and team when the NPS of a month really differs from the month before (posterior probability of a rise, or a drop, of at least 0.975 with at least 10 answers in each month; the prior fitted from every account manager). Newest first. An account manager sees the notes about themselves, a manager with a team those about the team, its members and themselves. Only while the organisation shows NPS per employee.',
      query: listNotificationsSchema,
      response: pageSchema(notificationJson),
      errors: ['employee_nps_disabled'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(listNotificationsSchema, request.query);
      return listNotifications(deps.db.kysely, actor, input);
    },
  );

  app.post(
    '/api/v1/notifications/:id/read',
    describe({
      tag: 'notifications',
      summary: 'Mark a note as read (for the reader only)',
      status: 200,
      response: notificationJson,
      errors: ['employee_nps_disabled'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'responses:read');
      const { id } = parseInput(notificationParams, request.params);
      return markNotificationRead(deps.db.kysely, actor, id, deps.now());
    },
  );
}
