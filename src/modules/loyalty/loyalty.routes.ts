import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { recordScope } from '../auth/record-scope.ts';
import {
  loyaltyQuerySchema,
  loyaltyReportJson,
  loyaltyTaskJson,
  loyaltyTaskList,
  loyaltyTasksQuery,
  taskParams,
} from './loyalty.schemas.ts';
import { completeTask, listTasks } from './lapsed-promoters.service.ts';
import { loyaltyReport } from './loyalty.service.ts';

export async function loyaltyRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/loyalty',
    describe({
      tag: 'loyalty',
      summary: 'Does NPS predict return here? Return per NPS category, the model, earned growth',
      description:
        'Kaplan–Meier time to next visit per category (Greenwood intervals), shares back within 6 and 12 months, revenue per customer, a logistic model of return within `windowDays` on the 0–10 score with its AUC (DeLong) against prior visit frequency, per segment with enough data, and earned growth per month (Net Promoter 3.0): revenue from returning customers (first completed visit before the month) and from referred new customers (the friend of a standing referral, in the month of their first completed visit), each as a share of the previous month’s revenue, and the earned growth rate (both shares − 1). An account manager sees the figures of their own customers (and of the ambassadors among them); one without a linked employee sees none.',
      query: loyaltyQuerySchema,
      response: loyaltyReportJson,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'responses:read');
      const { windowDays } = parseInput(loyaltyQuerySchema, request.query);
      return loyaltyReport(
        deps.db.kysely,
        actor.organisationId,
        recordScope(actor),
        deps.now(),
        windowDays,
      );
    },
  );

  app.get(
    '/api/v1/loyalty/tasks',
    describe({
      tag: 'loyalty',
      summary: 'Lapsed promoters: tasks for account managers (open by default)',
      description:
        'A promoter who did not come back within their usual interval (or the fixed interval of their last visit’s kind, APK yearly) plus 14 days gets one task per interval, made by a daily sweep. An account manager sees the tasks of their own customers.',
      query: loyaltyTasksQuery,
      response: loyaltyTaskList,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:read');
      const { status, limit } = parseInput(loyaltyTasksQuery, request.query);
      return listTasks(deps.db.kysely, actor, status, limit);
    },
  );

  app.post(
    '/api/v1/loyalty/tasks/:id/done',
    describe({
      tag: 'loyalty',
      summary: 'Mark a lapsed-promoter task as done',
      status: 200,
      response: loyaltyTaskJson,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:write');
      const { id } = parseInput(taskParams, request.params);
      return completeTask(deps.db.kysely, actor, id, deps.now());
    },
  );
}
