import { describe } from '../../platform/http/operation.ts';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { dashboardRead } from '../../platform/http/read-replica.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import {
  breakdownSchema,
  employeeInsightJsonSchema,
  employeeInsightSchema,
  exportResponsesSchema,
  overviewSchema,
  listResponsesSchema,
  summarySchema,
  teamInsightJsonSchema,
  teamInsightSchema,
  themesJsonSchema,
  themesQuerySchema,
  trendSchema,
} from './analytics.schemas.ts';
import { employeeInsight, teamInsight } from './employee-insight.service.ts';
import { themesReport } from './themes.service.ts';
import { z } from 'zod';
import * as service from './analytics.service.ts';
import { pageSchema } from '../../shared/api-schemas.ts';
import {
  answerJsonSchema,
  breakdownJsonSchema,
  overviewJsonSchema,
  summaryJsonSchema,
  trendJsonSchema,
} from './analytics.schemas.ts';
import { resultsBreakdown, resultsOverview } from './insight.service.ts';
import { exportBreakdownXlsx } from './breakdown-export.ts';

/**
 * First results for the admin app and integrations: summary, answers, trend and CSV export. All are
 * reads for dashboards and reports, served by the replica when there is one (`dashboardRead`).
 */
export async function analyticsRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/results/summary',
    describe({
      tag: 'results',
      summary: 'NPS with 95% interval, distribution and response funnel',
      query: summarySchema,
      response: summaryJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(summarySchema, request.query);
      return dashboardRead(deps, request, reply, (db) =>
        service.resultsSummary(db, actor, input, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/results/overview',
    describe({
      tag: 'results',
      summary:
        'The first screen: NPS for a period (default the last 90 days) with its interval, the previous period and whether the change is real, the distribution and the five latest comments',
      query: overviewSchema,
      response: overviewJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(overviewSchema, request.query);
      return dashboardRead(deps, request, reply, (db) =>
        resultsOverview(db, actor, input, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/results/breakdown',
    describe({
      tag: 'results',
      summary:
        'NPS per account manager, team, segment, channel, survey or account: raw with interval, shrunk toward the organisation (empirical Bayes), funnel-plot position and each group’s part of the change',
      description:
        'Per account manager or team (only while the organisation shows NPS per employee): an account manager gets only their own row and no team ranking (403), a manager whose employee record is in a team gets that team’s members and themselves (or only their team’s row); the organisation, the prior and the funnel are always the whole organisation’s.',
      query: breakdownSchema,
      response: breakdownJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(breakdownSchema, request.query);
      return dashboardRead(deps, request, reply, (db) =>
        resultsBreakdown(db, actor, input, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/results/breakdown.xlsx',
    describe({
      tag: 'results',
      summary:
        'The breakdown as an Excel workbook (.xlsx): per group n, raw NPS with interval, the shrunk estimate with interval, below the minimum or not, and the funnel-plot position',
      description:
        'The same rows, order and role scope as `GET /api/v1/results/breakdown` (an account manager gets only their own row, and 403 for teams); headers and labels in the reader’s language, numbers unrounded (shown with one decimal).',
      query: breakdownSchema,
      errors: ['employee_nps_disabled'],
      produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(breakdownSchema, request.query);
      const { stream, filename } = await dashboardRead(deps, request, reply, (db) =>
        exportBreakdownXlsx(db, actor, input, deps.now()),
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${filename}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/api/v1/results/employees/:id',
    describe({
      tag: 'results',
      summary:
        'An account manager’s own results: NPS over time with its interval against the organisation’s, the change, the employee score, their customers’ comments, praise and contact requests',
      description:
        'Only while the organisation shows NPS per employee (`employee_nps_disabled` otherwise). An account manager opens only their own page and a manager with a team only that team’s: anyone else answers 403 `forbidden`.',
      query: employeeInsightSchema,
      response: employeeInsightJsonSchema,
      errors: ['employee_nps_disabled'],
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const { id } = parseInput(z.object({ id: z.uuid() }), request.params);
      const input = parseInput(employeeInsightSchema, request.query);
      return dashboardRead(deps, request, reply, (db) =>
        employeeInsight(db, actor, id, input, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/results/team',
    describe({
      tag: 'results',
      summary:
        'The account managers a manager sees (their team, or everyone) with raw and shrunk NPS for the period',
      query: teamInsightSchema,
      response: teamInsightJsonSchema,
      errors: ['employee_nps_disabled'],
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(teamInsightSchema, request.query);
      return dashboardRead(deps, request, reply, (db) => teamInsight(db, actor, input, deps.now()));
    },
  );

  app.get(
    '/api/v1/results/themes',
    describe({
      tag: 'results',
      summary:
        'Comment themes for a period: per theme the comments mentioning it, their NPS with interval, sentiment and example quotes, and suggested new terms',
      description:
        'Reads the newest comments of the period (at most 5,000; `capped` says when there were more) in Dutch or English, locally: negation, stemming, stop words, a theme dictionary (the organisation’s `settings.themes`, else the defaults) and a sentiment lexicon. Suggestions are terms detractors use more than promoters (log-odds with an informative Dirichlet prior). An account manager sees their own customers’ comments.',
      query: themesQuerySchema,
      response: themesJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(themesQuerySchema, request.query);
      return dashboardRead(deps, request, reply, (db) =>
        themesReport(db, actor, input, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/results/responses',
    describe({
      tag: 'results',
      summary: 'Answers with comments, filterable, keyset paging',
      query: listResponsesSchema,
      response: pageSchema(answerJsonSchema),
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(listResponsesSchema, request.query);
      return dashboardRead(deps, request, reply, (db) => service.listResults(db, actor, input));
    },
  );

  app.get(
    '/api/v1/results/trend',
    describe({
      tag: 'results',
      summary: 'NPS with interval per week, month or quarter',
      query: trendSchema,
      response: trendJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(trendSchema, request.query);
      return dashboardRead(deps, request, reply, (db) =>
        service.resultsTrend(db, actor, input, deps.now()),
      );
    },
  );

  app.get(
    '/api/v1/results/responses.xlsx',
    describe({
      tag: 'results',
      summary:
        'Answers as an Excel workbook (.xlsx), streamed; past 1,048,575 answers the rows continue on a next sheet',
      query: exportResponsesSchema,
      produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(exportResponsesSchema, request.query);
      const stream = await dashboardRead(deps, request, reply, (db) =>
        service.exportResultsXlsx(db, actor, input),
      );
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', 'attachment; filename="antwoorden.xlsx"')
        .header('cache-control', 'no-store')
        .send(stream);
    },
  );

  app.get(
    '/api/v1/results/responses.csv',
    describe({
      tag: 'results',
      summary: 'Answers as CSV (semicolon, UTF-8 with BOM, for Excel)',
      query: exportResponsesSchema,
      produces: 'text/csv',
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'responses:read');
      const input = parseInput(exportResponsesSchema, request.query);
      // Pull the first chunk before answering, so a bad filter (unknown survey) is still a clean 4xx
      // and a replica that is down is noticed while the primary can still take over.
      const { chunks, first } = await dashboardRead(deps, request, reply, async (db) => {
        const chunks = service.exportResultsCsv(db, actor, input);
        return { chunks, first: await chunks.next() };
      });
      async function* all() {
        if (!first.done) yield first.value;
        yield* chunks;
      }
      return reply
        .header('content-type', 'text/csv; charset=utf-8')
        .header('content-disposition', 'attachment; filename="antwoorden.csv"')
        .header('cache-control', 'no-store')
        .send(Readable.from(all()));
    },
  );
}
