import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import type { Actor } from '../auth/actor.ts';
import { authorize } from '../auth/policies.ts';
import { caseReport, getCase, listCases } from './case-views.service.ts';
import {
  assignBody,
  caseDetailSchema,
  caseListSchema,
  caseReportSchema,
  contactMomentBody,
  listCasesQuery,
  noteBody,
  reportQuery,
  statusBody,
} from './cases.schemas.ts';
import { actOnCase, type CaseAction } from './cases.service.ts';

const TAG = 'cases';

export async function caseRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;

  app.get(
    '/api/v1/cases',
    describe({
      tag: TAG,
      summary: 'The case inbox',
      description:
        'Cases the caller may see: an account manager their own, a manager with a team that team’s, others all. Active cases come by due time (overdue first); closed ones most recent first.',
      query: listCasesQuery,
      response: caseListSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'cases:read');
      return listCases(db, actor, parseInput(listCasesQuery, request.query), deps.now());
    },
  );

  app.get(
    '/api/v1/cases/:id',
    describe({
      tag: TAG,
      summary: 'One case with its log, notes and the contact’s whole history',
      response: caseDetailSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'cases:read');
      return getCase(db, actor, parseInput(idParams, request.params).id, deps.now());
    },
  );

  async function change(
    request: { actor: Actor | null; params: unknown },
    parse: () => CaseAction,
  ) {
    const actor = authorize(request.actor, 'cases:work');
    const { id } = parseInput(idParams, request.params);
    const action = parse();
    const now = deps.now();
    await db.transaction().execute((trx) => actOnCase(trx, deps, actor, id, action, now));
    return getCase(db, actor, id, now);
  }

  app.post(
    '/api/v1/cases/:id/status',
    describe({
      tag: TAG,
      summary: 'Mark a case contacted, resolved or not resolvable (with an optional note)',
      body: statusBody,
      response: caseDetailSchema,
      status: 200,
      errors: ['conflict'],
    }),
    async (request) => {
      return change(request, () => {
        const body = parseInput(statusBody, request.body);
        return { type: 'status', status: body.status, note: body.note ?? null };
      });
    },
  );

  app.post(
    '/api/v1/cases/:id/notes',
    describe({
      tag: TAG,
      summary: 'Add a note to a case',
      body: noteBody,
      response: caseDetailSchema,
      status: 200,
      errors: ['conflict'],
    }),
    async (request) => {
      return change(request, () => {
        const body = parseInput(noteBody, request.body);
        return { type: 'note', note: body.note };
      });
    },
  );

  app.post(
    '/api/v1/cases/:id/contact-moments',
    describe({
      tag: TAG,
      summary: 'Record a call or an email to the customer (marks an open case contacted)',
      body: contactMomentBody,
      response: caseDetailSchema,
      status: 200,
      errors: ['conflict'],
    }),
    async (request) => {
      return change(request, () => {
        const body = parseInput(contactMomentBody, request.body);
        return {
          type: 'contact-moment',
          channel: body.channel,
          note: body.note ?? null,
        };
      });
    },
  );

  app.put(
    '/api/v1/cases/:id/owner',
    describe({
      tag: TAG,
      summary: 'Assign a case to an employee (managers), or unassign it',
      body: assignBody,
      response: caseDetailSchema,
    }),
    async (request) => {
      authorize(request.actor, 'cases:assign');
      return change(request, () => {
        const body = parseInput(assignBody, request.body);
        return { type: 'assign', ownerEmployeeId: body.ownerEmployeeId };
      });
    },
  );

  app.get(
    '/api/v1/case-report',
    describe({
      tag: TAG,
      summary: 'Closed-loop report: detractors won back, time to first contact and resolution',
      description:
        'Recovery cases opened between `from` and `to` (local dates, default the last 90 days): share of detractors won back (follow-up answer 7+ and 9+) with 95% Wilson intervals, median time to first contact and to resolution in calendar hours and working days, and the share closed within 48 hours; overall, per owner and per team.',
      query: reportQuery,
      response: caseReportSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'cases:read');
      return caseReport(db, actor, parseInput(reportQuery, request.query), deps.now());
    },
  );
}
