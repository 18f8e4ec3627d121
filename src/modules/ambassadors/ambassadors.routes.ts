import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { formatCode, parseCode } from '../../domain/referrals/codes.ts';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { AppError, conflict, notFound } from '../../shared/errors.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { inScope, narrowScope, recordScope } from '../auth/record-scope.ts';
import * as repo from './ambassadors.repository.ts';
import { presentReferral, presentRegisterRow, presentReward } from './ambassadors.presenter.ts';
import * as ambassadors from './ambassadors.service.ts';
import * as referrals from './referrals.service.ts';
import * as rewards from './rewards.service.ts';
import { programmeDashboard } from './programme-dashboard.service.ts';
import {
  ambassadorDetailSchema,
  cancelResultSchema,
  conversionResultSchema,
  createdSchema,
  dashboardSchema,
  okSchema,
  programmeSchema,
  redeemedSchema,
  referralSchema,
  registerRowSchema,
  rewardLedgerSchema,
  taskSchema,
  voucherCheckSchema,
  type VoucherCheckJson,
  type AmbassadorDetailJson,
  type DashboardJson,
  type ProgrammeJson,
} from './ambassadors.schemas.ts';
import { listSchema } from '../../shared/api-schemas.ts';

const limit = z.coerce.number().int().min(1).max(500).default(100);

const registerQuery = z.strictObject({
  status: z.enum(['active', 'paused', 'removed']).optional(),
  limit,
});
const referralQuery = z.strictObject({
  ambassadorId: z.uuid().optional(),
  verdict: z.enum(['eligible', 'review', 'ineligible']).optional(),
  status: z.enum(['lead', 'contacted', 'converted', 'lost']).optional(),
  limit,
});
const rewardQuery = z.strictObject({
  status: z.enum(['pending', 'review', 'issued', 'redeemed', 'expired', 'voided']).optional(),
  limit,
});
const statusBody = z.strictObject({ action: z.enum(['pause', 'resume', 'remove']) });
const redeemBody = z.strictObject({ code: z.string().trim().min(1).max(40) });
const taskBody = z.strictObject({ done: z.boolean() });
const taskQuery = z.strictObject({ open: z.enum(['true', 'false']).optional() });
const dashboardQuery = z.strictObject({
  days: z.coerce.number().int().min(1).max(3650).default(365),
  ownerEmployeeId: z.uuid().optional(),
});

/**
 * The staff side of the referral programme (issue 12): the programme's settings and counter link,
 * the ambassador register, leads and their fraud review, conversions and refunds, the rewards
 * ledger, redemption by code (for a till or workshop system), thank-you tasks and the dashboard.
 */
export async function ambassadorRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  const tag = 'ambassadors';
  const counterUrl = (token: string) =>
    token ? `${deps.config.publicUrl.replace(/\/+$/, '')}/k/${token}` : null;

  app.get(
    '/api/v1/referral-programme',
    describe({
      tag,
      summary: 'The referral programme: offer, rewards, hold, fraud settings, counter link',
      response: programmeSchema,
    }),
    async (request): Promise<ProgrammeJson> => {
      const actor = authorize(request.actor, 'ambassadors:read');
      const p = await ambassadors.getProgramme(db, actor.organisationId);
      const manage = actor.role === 'owner' || actor.role === 'admin';
      return {
        enabled: p.enabled,
        settings: p.settings,
        counterUrl: manage ? counterUrl(p.counterToken) : null,
      };
    },
  );

  app.put(
    '/api/v1/referral-programme',
    describe({
      tag,
      summary: 'Set up the referral programme (a new counter link with newCounterLink)',
      body: ambassadors.programmeInputSchema,
      response: programmeSchema,
    }),
    async (request): Promise<ProgrammeJson> => {
      const actor = authorize(request.actor, 'organisation:manage');
      const input = parseInput(ambassadors.programmeInputSchema, request.body);
      const p = await db
        .transaction()
        .execute((trx) => ambassadors.saveProgramme(trx, actor, input, deps.now()));
      return { enabled: p.enabled, settings: p.settings, counterUrl: counterUrl(p.counterToken) };
    },
  );

  app.get(
    '/api/v1/ambassadors',
    describe({
      tag,
      summary: 'The ambassador register: consent record, latest score, owner, referrals, rewards',
      query: registerQuery,
      response: listSchema(registerRowSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:read');
      const q = parseInput(registerQuery, request.query);
      const rows = await repo.listRegister(db, {
        organisationId: actor.organisationId,
        scope: recordScope(actor),
        status: q.status,
        limit: q.limit,
      });
      return { items: rows.map(presentRegisterRow) };
    },
  );

  app.post(
    '/api/v1/ambassadors',
    describe({
      tag,
      summary: 'Add a known fan by hand, with how they agreed (consent record)',
      body: ambassadors.addAmbassadorSchema,
      status: 201,
      response: createdSchema,
      errors: ['conflict'],
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const input = parseInput(ambassadors.addAmbassadorSchema, request.body);
      const id = await db
        .transaction()
        .execute((trx) => ambassadors.addAmbassador(trx, deps, actor, input, deps.now()));
      return reply.status(201).send({ id });
    },
  );

  app.get(
    '/api/v1/ambassadors/:id',
    describe({
      tag,
      summary: 'One ambassador with score history, referrals and rewards',
      response: ambassadorDetailSchema,
    }),
    async (request): Promise<AmbassadorDetailJson> => {
      const actor = authorize(request.actor, 'ambassadors:read');
      const { id } = parseInput(idParams, request.params);
      const a = await repo.findAmbassadorPageById(db, actor.organisationId, id);
      if (!a) throw notFound('ambassador');
      // An account manager sees the ambassadors among their own customers only, as in the list.
      const scope = recordScope(actor);
      if (!inScope(scope, a.contact_owner_employee_id)) throw notFound('ambassador');
      const locale = requestLocale(request);
      const [history, refs, rw, register] = await Promise.all([
        repo.scoreHistory(db, actor.organisationId, a.contact_id),
        repo.listReferrals(db, {
          organisationId: actor.organisationId,
          scope,
          ambassadorId: id,
          limit: 500,
        }),
        repo.listRewards(db, {
          organisationId: actor.organisationId,
          scope,
          ambassadorId: id,
          limit: 500,
        }),
        repo.listRegister(db, { organisationId: actor.organisationId, scope, id, limit: 1 }),
      ]);
      const [row] = register;
      if (!row) throw notFound('ambassador');
      const base = deps.config.publicUrl.replace(/\/+$/, '');
      return {
        id: a.id,
        contactId: a.contact_id,
        name: a.contact_name,
        status: a.status,
        shareUrl: `${base}/a/${a.share_token}`,
        linkUrl: `${base}/f/${a.link_token}`,
        scores: history.map((h) => ({
          score: h.score,
          category: h.category,
          answeredAt: new Date(h.answered_at).toISOString(),
        })),
        referrals: refs.map((r) => presentReferral(r, locale)),
        rewards: rw.map((r) => presentReward(r, locale, deps.now(), deps.config.publicUrl)),
        register: presentRegisterRow(row),
      };
    },
  );

  app.post(
    '/api/v1/ambassadors/:id/status',
    describe({
      status: 200,
      tag,
      summary: 'Pause, resume or remove an ambassador',
      body: statusBody,
      response: okSchema,
      errors: ['conflict'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const { id } = parseInput(idParams, request.params);
      const { action } = parseInput(statusBody, request.body);
      await db
        .transaction()
        .execute((trx) => ambassadors.changeAmbassadorStatus(trx, actor, id, action, deps.now()));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/ambassadors/:id/invite',
    describe({
      tag,
      summary: 'Send the programme invitation email (again)',
      status: 202,
      response: okSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const { id } = parseInput(idParams, request.params);
      await db.transaction().execute((trx) => ambassadors.inviteAgain(trx, actor, id, deps.now()));
      return reply.status(202).send({ ok: true as const });
    },
  );

  app.get(
    '/api/v1/referrals',
    describe({
      tag,
      summary: 'Friends referred: leads, conversions and the fraud review',
      query: referralQuery,
      response: listSchema(referralSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:read');
      const q = parseInput(referralQuery, request.query);
      const rows = await repo.listReferrals(db, {
        organisationId: actor.organisationId,
        scope: recordScope(actor),
        ...q,
      });
      const locale = requestLocale(request);
      return { items: rows.map((r) => presentReferral(r, locale)) };
    },
  );

  app.post(
    '/api/v1/referrals',
    describe({
      tag,
      summary: 'Record a friend who mentioned an ambassador’s code at the counter',
      body: referrals.staffLeadSchema,
      status: 201,
      response: createdSchema,
      errors: ['rate_limited'],
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const input = parseInput(referrals.staffLeadSchema, request.body);
      const parsed = parseCode('ambassador', input.ambassadorCode);
      const invalidCode = () =>
        new AppError('validation_failed', {
          issues: [{ field: 'ambassadorCode', problem: 'unknown_code' }],
        });
      if (!parsed.ok) throw invalidCode();
      // Ambassador codes are short (30 bits): wrong ones count towards the counter's lockout.
      const now = deps.now();
      if (await rewards.counterLocked(db, actor.organisationId, request.ip, now)) {
        throw new AppError('rate_limited');
      }
      const known = await repo.findAmbassadorByCode(db, actor.organisationId, parsed.code);
      if (!known || known.status === 'removed') {
        await rewards.recordMiss(db, actor.organisationId, request.ip, now);
        throw invalidCode();
      }
      const id = await db.transaction().execute(async (trx) => {
        const a = await repo.findAmbassadorByCode(trx, actor.organisationId, parsed.code);
        if (!a || a.status === 'removed') throw invalidCode();
        return referrals.createLead(
          trx,
          deps,
          a,
          {
            name: input.name,
            email: input.email,
            phone: input.phone,
            locale: input.locale,
            consentText: input.consentNote,
            source: 'staff',
          },
          deps.now(),
        );
      });
      return reply.status(201).send({ id });
    },
  );

  app.post(
    '/api/v1/referrals/:id/status',
    describe({
      status: 200,
      tag,
      summary: 'Mark a lead contacted or lost',
      body: referrals.referralStatusSchema,
      response: okSchema,
      errors: ['conflict'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const { id } = parseInput(idParams, request.params);
      const { status } = parseInput(referrals.referralStatusSchema, request.body);
      await db
        .transaction()
        .execute((trx) => referrals.setLeadStatus(trx, actor, id, status, deps.now()));
      return { ok: true as const };
    },
  );

  app.post(
    '/api/v1/referrals/:id/conversion',
    describe({
      status: 200,
      tag,
      summary: 'The friend’s first paid visit or purchase: the lead converts, the reward is held',
      body: referrals.conversionSchema,
      response: conversionResultSchema,
      errors: ['conflict'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(referrals.conversionSchema, request.body);
      return db
        .transaction()
        .execute((trx) =>
          referrals.recordConversion(trx, deps, actor.organisationId, actor, id, input, deps.now()),
        );
    },
  );

  app.post(
    '/api/v1/referrals/:id/conversion/cancel',
    describe({
      status: 200,
      tag,
      summary: 'The first visit was cancelled or refunded: rewards still held are voided',
      response: cancelResultSchema,
      errors: ['conflict'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const { id } = parseInput(idParams, request.params);
      return db
        .transaction()
        .execute((trx) =>
          referrals.cancelConversion(trx, actor.organisationId, actor, id, deps.now()),
        );
    },
  );

  app.delete(
    '/api/v1/referrals/:id/personal-data',
    describe({ tag, summary: 'Erase a friend’s details from a lead (AVG/GDPR)', status: 204 }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:erase');
      const { id } = parseInput(idParams, request.params);
      const r = await repo.findReferral(db, actor.organisationId, id);
      if (!r) throw notFound('referral');
      await repo.eraseReferral(db, actor.organisationId, id, deps.now());
      return reply.status(204).send();
    },
  );

  app.get(
    '/api/v1/rewards',
    describe({
      tag,
      summary: 'The rewards ledger with totals and cost per status',
      query: rewardQuery,
      response: rewardLedgerSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:read');
      const q = parseInput(rewardQuery, request.query);
      const now = deps.now();
      const locale = requestLocale(request);
      const scope = recordScope(actor);
      const [rows, totals] = await Promise.all([
        repo.listRewards(db, {
          organisationId: actor.organisationId,
          scope,
          // Expired is derived from validity: list issued ones and keep those past it.
          status: q.status === 'expired' ? 'issued' : q.status,
          limit: q.limit,
        }),
        repo.rewardTotals(db, actor.organisationId, scope, now),
      ]);
      const items = rows
        .map((r) => presentReward(r, locale, now, deps.config.publicUrl))
        .filter((r) => !q.status || r.status === q.status);
      return {
        items,
        totals: totals.map((x) => ({
          status: x.status,
          count: Number(x.count),
          costCents: Number(x.cost_cents ?? 0),
        })),
      };
    },
  );

  app.post(
    '/api/v1/rewards/:id/review',
    describe({
      status: 200,
      tag,
      summary: 'Approve or reject a reward in the review queue, with a reason',
      body: rewards.reviewSchema,
      response: okSchema,
      errors: ['conflict'],
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(rewards.reviewSchema, request.body);
      await db
        .transaction()
        .execute((trx) => rewards.reviewReward(trx, deps, actor, id, input, deps.now()));
      return { ok: true as const };
    },
  );

  /**
   * A typed voucher code looked up under the counter's lockout (per address and per
   * organisation, rewards.service.ts): a miss is recorded even though the answer is an error, so
   * the lookup's transaction commits before the error is thrown.
   */
  async function lookUp(request: FastifyRequest, redeemNow: boolean) {
    const actor = authorize(request.actor, 'ambassadors:write');
    const { code } = parseInput(redeemBody, request.body);
    const now = deps.now();
    const result = await db.transaction().execute(async (trx) => {
      const found = await rewards.lookUpVoucher(trx, actor.organisationId, request.ip, code, now);
      if (found.kind !== 'found' || !redeemNow || !found.check.ok) return { found, done: false };
      return { found, done: await rewards.redeem(trx, deps, found.reward, 'api', now) };
    });
    const { found } = result;
    if (found.kind === 'locked') throw new AppError('rate_limited');
    if (found.kind === 'typo') {
      throw new AppError('validation_failed', {
        issues: [{ field: 'code', problem: `code_${found.problem}` }],
      });
    }
    if (found.kind === 'unknown') throw notFound('voucher');
    return { actor, now, found, done: result.done };
  }

  app.post(
    '/api/v1/vouchers/check',
    describe({
      status: 200,
      tag,
      summary: 'Check a voucher code: what it is worth, for whom, and whether it can be redeemed',
      body: redeemBody,
      response: voucherCheckSchema,
      errors: ['rate_limited'],
    }),
    async (request): Promise<VoucherCheckJson> => {
      const { actor, found } = await lookUp(request, false);
      const r = found.reward;
      return {
        id: r.id,
        code: formatCode(r.code),
        description: r.description,
        kind: r.kind,
        recipient: r.recipient,
        holderName: await repo.voucherHolderName(db, actor.organisationId, r),
        status: found.status as VoucherCheckJson['status'],
        validUntil: r.valid_until === null ? null : new Date(r.valid_until).toISOString(),
        redeemedAt: r.redeemed_at === null ? null : new Date(r.redeemed_at).toISOString(),
        redeemable: found.check.ok,
        refusal: found.check.ok ? null : found.check.reason,
      };
    },
  );

  app.post(
    '/api/v1/vouchers/redeem',
    describe({
      status: 200,
      tag,
      summary: 'Redeem a voucher by its code (the counter, a till or workshop system); once only',
      body: redeemBody,
      response: redeemedSchema,
      errors: ['conflict', 'rate_limited'],
    }),
    async (request) => {
      const { now, found, done } = await lookUp(request, true);
      if (!found.check.ok || !done) {
        throw conflict({
          field: 'code',
          problem: `voucher_${found.check.ok ? 'already_redeemed' : found.check.reason}`,
        });
      }
      return {
        id: found.reward.id,
        description: found.reward.description,
        redeemedAt: new Date(now).toISOString(),
      };
    },
  );

  app.get(
    '/api/v1/ambassador-tasks',
    describe({
      tag,
      summary: 'Thank-you tasks: a new ambassador, a friend brought in',
      query: taskQuery,
      response: listSchema(taskSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:read');
      const open = parseInput(taskQuery, request.query).open !== 'false';
      const rows = await repo.listTasks(db, actor.organisationId, recordScope(actor), open, 200);
      return {
        items: rows.map((r) => ({
          id: r.id,
          ambassadorId: r.ambassador_id,
          ambassadorName: r.ambassador_name,
          kind: r.kind,
          referralId: r.referral_id || null,
          doneAt: r.done_at === null ? null : new Date(r.done_at).toISOString(),
          createdAt: new Date(r.created_at).toISOString(),
        })),
      };
    },
  );

  app.post(
    '/api/v1/ambassador-tasks/:id',
    describe({
      status: 200,
      tag,
      summary: 'Tick a thank-you task done (or undo)',
      body: taskBody,
      response: okSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'ambassadors:write');
      const { id } = parseInput(idParams, request.params);
      const { done } = parseInput(taskBody, request.body);
      const ok = await repo.setTaskDone(
        db,
        actor.organisationId,
        id,
        done ? { at: deps.now(), by: actor.id } : null,
      );
      if (!ok) throw notFound('task');
      return { ok: true as const };
    },
  );

  app.get(
    '/api/v1/referral-programme/dashboard',
    describe({
      tag,
      summary: 'Ambassadors, share-page visits, leads, conversions, revenue and reward cost',
      description:
        'Within the reader’s record scope: an account manager gets the ambassadors among their own customers, with their referrals and rewards, and only their own row per account manager; every other role the whole organisation. `ownerEmployeeId` narrows to one account manager’s customers and never widens: an account manager asking for a colleague’s gets nothing.',
      query: dashboardQuery,
      response: dashboardSchema,
    }),
    async (request): Promise<DashboardJson> => {
      const actor = authorize(request.actor, 'ambassadors:read');
      const { days, ownerEmployeeId } = parseInput(dashboardQuery, request.query);
      // The record scope, as everywhere: an account manager's figures are those of the
      // ambassadors among their own customers; asking for a colleague's yields nothing.
      const scope = narrowScope(recordScope(actor), ownerEmployeeId);
      return programmeDashboard(db, actor.organisationId, scope, days, deps.now());
    },
  );
}
