import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createConfig, lintFromString } from '@redocly/openapi-core';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ObservedResponse } from '../../src/server/app.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { newId, newToken, sha256 } from '../../src/shared/ids.ts';
import { describeEachDialect } from '../support/databases.ts';
import { png } from '../support/images.ts';
import {
  buildOrganisation,
  login,
  startTestApp,
  TEST_PASSWORD,
  type Client,
  type TestApp,
} from '../support/harness.ts';

/**
 * The API description cannot drift: every operation in `/api/v1/openapi.json` is called here for
 * real (a sample request per operation, below), and every answer the app sends during the run —
 * successes and errors — is validated against the document as served: the status must be one the
 * operation documents, the media type its documented one, and a JSON body must match the
 * documented schema (objects are closed, so a field a presenter adds or drops fails).
 *
 * A new operation is covered automatically: the suite fails until it has a sample here, and fails
 * while its success answer has no described body (`response` in its `describe()`).
 */

interface Doc {
  paths: Record<
    string,
    Record<string, { responses: Record<string, { content?: Record<string, unknown> }> }>
  >;
}

/** A note about an employee, as `notifications.evaluate` stores it. */
function notificationRow(id: string, organisationId: string, employeeId: string, now: number) {
  return {
    id,
    organisation_id: organisationId,
    kind: 'celebrate' as const,
    subject_kind: 'employee' as const,
    subject_key: employeeId,
    period: '2026-09',
    period_from: Date.UTC(2026, 7, 31, 22),
    period_to: Date.UTC(2026, 8, 30, 22),
    previous_from: Date.UTC(2026, 6, 31, 22),
    answers_before: 40,
    answers_after: 42,
    nps_before: 5.5,
    nps_after: 38.25,
    probability_of_rise: 0.9991,
    created_at: now,
  };
}

const BOUNCE_SECRET = 'bounce-secret-0123456789abcdef';

function multipart(filename: string, type: string, content: Buffer | string, boundary: string) {
  return {
    headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    payload: Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
      ),
      Buffer.isBuffer(content) ? content : Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]),
  };
}

describeEachDialect('OpenAPI: real answers of every operation match the document', (dialect) => {
  let t: TestApp;
  let a: Client;
  let dataDir: string;
  const responses: ObservedResponse[] = [];
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'loyaal-openapi-'));
    t = await startTestApp(
      dialect,
      // SECRET_KEY: webhook endpoints keep their signing secrets encrypted with it.
      { DATA_DIR: dataDir, BOUNCE_WEBHOOK_SECRET: BOUNCE_SECRET, SECRET_KEY: 'a'.repeat(64) },
      { responses },
    );
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  const drain = () => startWorker(t.deps, { concurrency: 2 }, false).drain();
  const ok = async (opts: InjectOptions, client: Client | null = a) => {
    const res = client ? await client.request(opts) : await t.app.inject(opts);
    if (res.statusCode >= 300 && res.statusCode !== 303)
      throw new Error(
        `${opts.method ?? 'GET'} ${JSON.stringify(opts.url)}: ${res.statusCode} ${res.body}`,
      );
    return res;
  };
  const idOf = async (opts: InjectOptions) => (await ok(opts)).json<{ id: string }>().id;

  /**
   * One sample per operation, in this order; each makes the operation answer successfully (some
   * prepare what they need first). Keys are `METHOD /route/:pattern` as registered.
   */
  const samples: [string, () => Promise<unknown>][] = [
    ['GET /api/v1/setup', () => ok({ url: '/api/v1/setup' }, null)],
    [
      'POST /api/v1/setup',
      async () => {
        const res = await ok(
          {
            method: 'POST',
            url: '/api/v1/setup',
            payload: {
              organisationName: 'Garage De Vries',
              name: 'Eigenaar',
              email: 'eigenaar@garage.example',
              password: 'correct horse battery',
            },
          },
          null,
        );
        expect(res.statusCode).toBe(201);
      },
    ],
    [
      'POST /api/v1/auth/login',
      async () => {
        await ok(
          {
            method: 'POST',
            url: '/api/v1/auth/login',
            payload: { email: 'eigenaar@garage.example', password: 'correct horse battery' },
          },
          null,
        );
        // The rest of the tour is this owner's organisation, logged in as a browser would be.
        const owner = await buildOrganisation(t, 'Alfa BV');
        a = owner;
      },
    ],
    ['GET /api/v1/openapi.json', () => ok({ url: '/api/v1/openapi.json' }, null)],
    ['GET /api/v1/auth/me', () => ok({ url: '/api/v1/auth/me' })],
    [
      'PATCH /api/v1/auth/me',
      () => ok({ method: 'PATCH', url: '/api/v1/auth/me', payload: { locale: 'nl' } }),
    ],
    ['GET /api/v1/me/weekly-digest', () => ok({ url: '/api/v1/me/weekly-digest' })],
    [
      'PUT /api/v1/me/weekly-digest',
      () => ok({ method: 'PUT', url: '/api/v1/me/weekly-digest', payload: { weeklyDigest: true } }),
    ],
    ['GET /api/v1/auth/organisations', () => ok({ url: '/api/v1/auth/organisations' })],
    [
      'POST /api/v1/auth/organisation',
      async () => {
        // A second session of the same owner: switching renews that session's CSRF token, and the
        // tour's own session must keep its token.
        const second = await login(t, a.email, TEST_PASSWORD);
        await ok(
          {
            method: 'POST',
            url: '/api/v1/auth/organisation',
            payload: { organisationId: a.organisationId },
          },
          second,
        );
      },
    ],
    ['GET /api/v1/organisation', () => ok({ url: '/api/v1/organisation' })],
    [
      'PATCH /api/v1/organisation',
      () => ok({ method: 'PATCH', url: '/api/v1/organisation', payload: { name: 'Alfa B.V.' } }),
    ],
    [
      'POST /api/v1/organisation/logo',
      () =>
        ok({
          method: 'POST',
          url: '/api/v1/organisation/logo',
          ...multipart('logo.png', 'image/png', png(64, 64), 'x-logo'),
        }),
    ],
    [
      'DELETE /api/v1/organisation/logo',
      () => ok({ method: 'DELETE', url: '/api/v1/organisation/logo' }),
    ],
    [
      'POST /api/v1/employees',
      async () => {
        ids.employee = await idOf({
          method: 'POST',
          url: '/api/v1/employees',
          payload: { name: 'Sanne Bakker', email: 'sanne@alfa.example' },
        });
      },
    ],
    ['GET /api/v1/employees', () => ok({ url: '/api/v1/employees?total=true' })],
    ['GET /api/v1/employees/:id', () => ok({ url: `/api/v1/employees/${ids.employee}` })],
    [
      'PATCH /api/v1/employees/:id',
      () =>
        ok({
          method: 'PATCH',
          url: `/api/v1/employees/${ids.employee}`,
          payload: { team: 'Noord' },
        }),
    ],
    [
      'POST /api/v1/locations',
      async () => {
        ids.location = await idOf({
          method: 'POST',
          url: '/api/v1/locations',
          payload: { name: 'Leeuwarden' },
        });
      },
    ],
    ['GET /api/v1/locations', () => ok({ url: '/api/v1/locations?archived=true' })],
    [
      'PATCH /api/v1/locations/:id',
      () =>
        ok({
          method: 'PATCH',
          url: `/api/v1/locations/${ids.location}`,
          payload: { name: 'Leeuwarden-Noord', archived: true },
        }),
    ],
    [
      'POST /api/v1/accounts',
      async () => {
        ids.account = await idOf({
          method: 'POST',
          url: '/api/v1/accounts',
          payload: { name: 'Bakkerij Bakker', ownerEmployeeId: ids.employee },
        });
      },
    ],
    ['GET /api/v1/accounts', () => ok({ url: '/api/v1/accounts?total=true' })],
    ['GET /api/v1/accounts/:id', () => ok({ url: `/api/v1/accounts/${ids.account}` })],
    [
      'PATCH /api/v1/accounts/:id',
      () =>
        ok({
          method: 'PATCH',
          url: `/api/v1/accounts/${ids.account}`,
          payload: { segment: 'B2B' },
        }),
    ],
    [
      'POST /api/v1/contacts',
      async () => {
        ids.contact = await idOf({
          method: 'POST',
          url: '/api/v1/contacts',
          payload: {
            name: 'Jan Jansen',
            email: 'jan@klant.example',
            ownerEmployeeId: ids.employee,
            accountId: ids.account,
            attributes: { kenteken: 'AB-12-CD' },
          },
        });
      },
    ],
    ['GET /api/v1/contacts', () => ok({ url: '/api/v1/contacts?total=true' })],
    ['GET /api/v1/contacts/:id', () => ok({ url: `/api/v1/contacts/${ids.contact}` })],
    [
      'PATCH /api/v1/contacts/:id',
      () =>
        ok({
          method: 'PATCH',
          url: `/api/v1/contacts/${ids.contact}`,
          payload: { phone: '0612345678' },
        }),
    ],
    [
      'GET /api/v1/contacts/:id/consent',
      () => ok({ url: `/api/v1/contacts/${ids.contact}/consent` }),
    ],
    [
      'POST /api/v1/contacts/:id/unsubscribe',
      () => ok({ method: 'POST', url: `/api/v1/contacts/${ids.contact}/unsubscribe` }),
    ],
    [
      'POST /api/v1/contacts/:id/resubscribe',
      () => ok({ method: 'POST', url: `/api/v1/contacts/${ids.contact}/resubscribe` }),
    ],
    [
      'GET /api/v1/contacts/:id/export',
      () => ok({ url: `/api/v1/contacts/${ids.contact}/export` }),
    ],
    [
      'POST /api/v1/contacts/:id/erase',
      async () => {
        const doomed = await idOf({
          method: 'POST',
          url: '/api/v1/contacts',
          payload: { email: 'weg@klant.example' },
        });
        await ok({ method: 'POST', url: `/api/v1/contacts/${doomed}/erase` });
      },
    ],
    [
      'POST /api/v1/surveys',
      async () => {
        const create = {
          method: 'POST',
          url: '/api/v1/surveys',
          payload: { name: 'Alfa NPS', status: 'active' },
        } as const;
        ids.survey = await idOf(create);
        // Repeated with an Idempotency-Key: the first answer again, as documented.
        const headers = { 'idempotency-key': 'alfa-survey-once' };
        const first = await idOf({ ...create, headers });
        expect(await idOf({ ...create, headers })).toBe(first);
      },
    ],
    ['GET /api/v1/surveys', () => ok({ url: '/api/v1/surveys?total=true' })],
    ['GET /api/v1/surveys/:id', () => ok({ url: `/api/v1/surveys/${ids.survey}` })],
    [
      'PATCH /api/v1/surveys/:id',
      () =>
        ok({
          method: 'PATCH',
          url: `/api/v1/surveys/${ids.survey}`,
          payload: { name: 'Alfa NPS 2026' },
        }),
    ],
    [
      'POST /api/v1/surveys/:id/preview',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/surveys/${ids.survey}/preview`,
          payload: { locale: 'nl', view: 'email' },
        }),
    ],
    [
      'POST /api/v1/surveys/:id/test-mail',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/surveys/${ids.survey}/test-mail`,
          payload: { locale: 'nl' },
        }),
    ],
    ['GET /api/v1/surveys/:id/qr.svg', () => ok({ url: `/api/v1/surveys/${ids.survey}/qr.svg` })],
    ['GET /api/v1/surveys/:id/poster', () => ok({ url: `/api/v1/surveys/${ids.survey}/poster` })],
    [
      'POST /api/v1/surveys/:id/sends/preview',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/surveys/${ids.survey}/sends/preview`,
          payload: { selection: { kind: 'all' } },
        }),
    ],
    [
      'POST /api/v1/surveys/:id/sends',
      async () => {
        ids.send = await idOf({
          method: 'POST',
          url: `/api/v1/surveys/${ids.survey}/sends`,
          payload: { selection: { kind: 'all' }, schedule: { kind: 'now' } },
        });
        await drain();
      },
    ],
    [
      'GET /api/v1/surveys/:id/sends',
      () => ok({ url: `/api/v1/surveys/${ids.survey}/sends?total=true` }),
    ],
    [
      'GET /api/v1/surveys/:id/invitations',
      () => ok({ url: `/api/v1/surveys/${ids.survey}/invitations?total=true` }),
    ],
    [
      'POST /api/v1/surveys/:id/sends/:sendId/cancel',
      () => ok({ method: 'POST', url: `/api/v1/surveys/${ids.survey}/sends/${ids.send}/cancel` }),
    ],
    [
      'GET /api/v1/outbox',
      async () => {
        const res = await ok({ url: '/api/v1/outbox?total=true' });
        ids.email = res.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
      },
    ],
    ['GET /api/v1/outbox/:id', () => ok({ url: `/api/v1/outbox/${ids.email}` })],
    [
      'POST /r/:token',
      async () => {
        const invitation = await t.db.kysely
          .selectFrom('invitations')
          .select('token')
          .where('organisation_id', '=', a.organisationId)
          .where('status', '!=', 'cancelled')
          .executeTakeFirstOrThrow();
        // A detractor's answer: it opens a case (cases module) for the samples below.
        await ok({ method: 'POST', url: `/r/${invitation.token}`, payload: { score: 3 } }, null);
      },
    ],
    [
      'POST /api/v1/webhooks/bounces',
      async () => {
        const email = await t.db.kysely
          .selectFrom('emails')
          .select('message_id')
          .where('id', '=', ids.email ?? '')
          .executeTakeFirstOrThrow();
        await ok(
          {
            method: 'POST',
            url: '/api/v1/webhooks/bounces',
            headers: { authorization: `Bearer ${BOUNCE_SECRET}` },
            payload: { type: 'bounce', messageId: email.message_id },
          },
          null,
        );
      },
    ],
    [
      'POST /api/v1/outbox/:id/retry',
      async () => {
        // Only mail that failed can be tried again: make this one a failure a server reported.
        await t.db.kysely
          .updateTable('emails')
          .set({
            status: 'failed',
            transport: 'smtp',
            failure: 'temporary',
            error: '421 try again later',
          })
          .where('id', '=', ids.email ?? '')
          .execute();
        await t.db.kysely
          .updateTable('invitations')
          .set({ status: 'failed' })
          .where('organisation_id', '=', a.organisationId)
          .execute();
        await ok({ method: 'POST', url: `/api/v1/outbox/${ids.email}/retry` });
      },
    ],
    [
      'GET /api/v1/cases',
      async () => {
        const res = await ok({ url: '/api/v1/cases?status=all' });
        ids.case = res.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
      },
    ],
    ['GET /api/v1/cases/:id', () => ok({ url: `/api/v1/cases/${ids.case}` })],
    [
      'POST /api/v1/cases/:id/notes',
      () =>
        ok({ method: 'POST', url: `/api/v1/cases/${ids.case}/notes`, payload: { note: 'Gebeld' } }),
    ],
    [
      'POST /api/v1/cases/:id/contact-moments',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/cases/${ids.case}/contact-moments`,
          payload: { channel: 'phone' },
        }),
    ],
    [
      'PUT /api/v1/cases/:id/owner',
      () =>
        ok({
          method: 'PUT',
          url: `/api/v1/cases/${ids.case}/owner`,
          payload: { ownerEmployeeId: ids.employee },
        }),
    ],
    [
      'POST /api/v1/cases/:id/status',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/cases/${ids.case}/status`,
          payload: { status: 'resolved', note: 'Opgelost' },
        }),
    ],
    ['GET /api/v1/case-report', () => ok({ url: '/api/v1/case-report' })],
    ['GET /api/v1/results/summary', () => ok({ url: '/api/v1/results/summary' })],
    ['GET /api/v1/results/responses', () => ok({ url: '/api/v1/results/responses?total=true' })],
    ['GET /api/v1/results/overview', () => ok({ url: '/api/v1/results/overview' })],
    ['GET /api/v1/results/organisations', () => ok({ url: '/api/v1/results/organisations' })],
    [
      'GET /api/v1/results/breakdown',
      () => ok({ url: '/api/v1/results/breakdown?dimension=segment' }),
    ],
    [
      'GET /api/v1/results/employees/:id',
      () => ok({ url: `/api/v1/results/employees/${ids.employee}` }),
    ],
    ['GET /api/v1/results/team', () => ok({ url: '/api/v1/results/team' })],
    ['GET /api/v1/results/themes', () => ok({ url: '/api/v1/results/themes' })],
    ['GET /api/v1/results/trend', () => ok({ url: '/api/v1/results/trend' })],
    ['GET /api/v1/results/responses.csv', () => ok({ url: '/api/v1/results/responses.csv' })],
    ['GET /api/v1/results/responses.xlsx', () => ok({ url: '/api/v1/results/responses.xlsx' })],
    [
      'GET /api/v1/results/breakdown.xlsx',
      () => ok({ url: '/api/v1/results/breakdown.xlsx?dimension=employee' }),
    ],
    ['GET /api/v1/onboarding', () => ok({ url: '/api/v1/onboarding' })],
    ['GET /api/v1/privacy/retention', () => ok({ url: '/api/v1/privacy/retention' })],
    ['GET /api/v1/audit', () => ok({ url: '/api/v1/audit?total=true' })],
    [
      'PUT /api/v1/mail-server',
      () =>
        ok({
          method: 'PUT',
          url: '/api/v1/mail-server',
          payload: {
            host: '127.0.0.1',
            port: 1,
            security: 'none',
            fromAddress: 'info@alfa.example',
          },
        }),
    ],
    ['GET /api/v1/mail-server', () => ok({ url: '/api/v1/mail-server' })],
    ['GET /api/v1/mail-server/status', () => ok({ url: '/api/v1/mail-server/status' })],
    [
      'POST /api/v1/mail-server/test',
      () => ok({ method: 'POST', url: '/api/v1/mail-server/test' }),
    ],
    ['DELETE /api/v1/mail-server', () => ok({ method: 'DELETE', url: '/api/v1/mail-server' })],
    ['GET /api/v1/imports/fields', () => ok({ url: '/api/v1/imports/fields' })],
    [
      'POST /api/v1/imports',
      async () => {
        const csv =
          'Klantnummer;Naam;E-mailadres;Accountmanager\r\n' +
          'K-1;Piet Pieters;piet@klant.example;Els Peters\r\n' +
          'K-2;Geen Adres;geen-adres;Els Peters\r\n';
        const res = await ok({
          method: 'POST',
          url: '/api/v1/imports',
          ...multipart('klanten.csv', 'text/csv', csv, 'x-import'),
        });
        const imp = res.json<{ id: string; detected: { suggestedMapping: unknown } }>();
        ids.import = imp.id;
        ids.mapping = JSON.stringify(imp.detected.suggestedMapping);
      },
    ],
    ['GET /api/v1/imports', () => ok({ url: '/api/v1/imports?total=true' })],
    [
      'POST /api/v1/imports/:id/validate',
      async () => {
        await ok({
          method: 'POST',
          url: `/api/v1/imports/${ids.import}/validate`,
          payload: { mapping: JSON.parse(ids.mapping ?? '{}') as unknown },
        });
        await drain();
      },
    ],
    ['GET /api/v1/imports/:id', () => ok({ url: `/api/v1/imports/${ids.import}` })],
    [
      'GET /api/v1/imports/:id/errors',
      () => ok({ url: `/api/v1/imports/${ids.import}/errors?total=true` }),
    ],
    [
      'GET /api/v1/imports/:id/rejected',
      () => ok({ url: `/api/v1/imports/${ids.import}/rejected` }),
    ],
    ['GET /api/v1/imports/:id/owners', () => ok({ url: `/api/v1/imports/${ids.import}/owners` })],
    [
      'POST /api/v1/imports/:id/owners',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/imports/${ids.import}/owners`,
          payload: { resolutions: [{ value: 'Els Peters', action: 'create' }] },
        }).then(drain),
    ],
    [
      'GET /api/v1/imports/:id/locations',
      () => ok({ url: `/api/v1/imports/${ids.import}/locations` }),
    ],
    [
      'POST /api/v1/imports/:id/locations',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/imports/${ids.import}/locations`,
          payload: { resolutions: [{ value: 'Heerenveen', action: 'create' }] },
        }).then(drain),
    ],
    [
      'POST /api/v1/imports/:id/commit',
      async () => {
        await ok({
          method: 'POST',
          url: `/api/v1/imports/${ids.import}/commit`,
          payload: { mode: 'valid_only' },
        });
        await drain();
      },
    ],
    [
      'POST /api/v1/api-keys',
      async () => {
        ids.apiKey = await idOf({
          method: 'POST',
          url: '/api/v1/api-keys',
          payload: { name: 'CRM' },
        });
      },
    ],
    ['GET /api/v1/api-keys', () => ok({ url: '/api/v1/api-keys' })],
    [
      'POST /api/v1/api-keys/:id/revoke',
      () => ok({ method: 'POST', url: `/api/v1/api-keys/${ids.apiKey}/revoke` }),
    ],
    [
      'POST /api/v1/invites',
      async () => {
        const res = await ok({
          method: 'POST',
          url: '/api/v1/invites',
          payload: { email: 'collega@alfa.example', role: 'viewer' },
        });
        ids.invite = res.json<{ id: string }>().id;
        ids.inviteToken = res.json<{ acceptUrl: string }>().acceptUrl.split('/').pop() ?? '';
      },
    ],
    ['GET /api/v1/invites', () => ok({ url: '/api/v1/invites' })],
    [
      'GET /api/v1/public/invites/:token',
      () => ok({ url: `/api/v1/public/invites/${ids.inviteToken}` }, null),
    ],
    [
      'POST /api/v1/public/invites/:token/accept',
      () =>
        ok(
          {
            method: 'POST',
            url: `/api/v1/public/invites/${ids.inviteToken}/accept`,
            payload: { name: 'Collega', password: 'another horse battery' },
          },
          null,
        ),
    ],
    [
      'POST /api/v1/invites/:id/revoke',
      async () => {
        const res = await ok({
          method: 'POST',
          url: '/api/v1/invites',
          payload: { email: 'bedacht@alfa.example', role: 'viewer' },
        });
        await ok({
          method: 'POST',
          url: `/api/v1/invites/${res.json<{ id: string }>().id}/revoke`,
        });
      },
    ],
    [
      'PUT /api/v1/referral-programme',
      () =>
        ok({
          method: 'PUT',
          url: '/api/v1/referral-programme',
          payload: {
            enabled: true,
            settings: {
              friendReward: {
                kind: 'voucher',
                description: 'Welkom',
                costCents: 500,
                validMonths: 3,
              },
            },
          },
        }),
    ],
    ['GET /api/v1/referral-programme', () => ok({ url: '/api/v1/referral-programme' })],
    [
      'PUT /api/v1/review-settings',
      () =>
        ok({
          method: 'PUT',
          url: '/api/v1/review-settings',
          payload: {
            sites: [
              { kind: 'google', url: 'https://g.page/r/garage/review' },
              { kind: 'custom', url: 'https://garage.example/reviews', label: 'Onze site' },
            ],
            askOnThanks: true,
            emailAfterHours: 48,
          },
        }),
    ],
    ['GET /api/v1/review-settings', () => ok({ url: '/api/v1/review-settings' })],
    [
      'POST /api/v1/ambassadors',
      async () => {
        const contactId = await idOf({
          method: 'POST',
          url: '/api/v1/contacts',
          payload: { name: 'Jan Fan', email: 'jan.fan@voorbeeld.nl' },
        });
        ids.ambassador = await idOf({
          method: 'POST',
          url: '/api/v1/ambassadors',
          payload: { contactId, consentNote: 'Aan de balie gevraagd' },
        });
      },
    ],
    [
      'GET /api/v1/ambassadors',
      async () => {
        const res = await ok({ url: '/api/v1/ambassadors' });
        ids.ambassadorCode = res.json<{ items: { code: string }[] }>().items[0]?.code ?? '';
      },
    ],
    ['GET /api/v1/ambassadors/:id', () => ok({ url: `/api/v1/ambassadors/${ids.ambassador}` })],
    [
      'POST /api/v1/ambassadors/:id/invite',
      () => ok({ method: 'POST', url: `/api/v1/ambassadors/${ids.ambassador}/invite` }),
    ],
    [
      'POST /api/v1/referrals',
      async () => {
        ids.referral = await idOf({
          method: 'POST',
          url: '/api/v1/referrals',
          payload: {
            ambassadorCode: ids.ambassadorCode,
            name: 'Karin Vriend',
            email: 'karin@vrienden.example',
            consentNote: 'Aan de balie',
          },
        });
      },
    ],
    ['GET /api/v1/referrals', () => ok({ url: '/api/v1/referrals' })],
    [
      'POST /api/v1/referrals/:id/status',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/referrals/${ids.referral}/status`,
          payload: { status: 'contacted' },
        }),
    ],
    [
      'POST /api/v1/referrals/:id/conversion',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/referrals/${ids.referral}/conversion`,
          payload: { amountCents: 8900 },
        }),
    ],
    [
      'GET /api/v1/rewards',
      async () => {
        const res = await ok({ url: '/api/v1/rewards' });
        const items = res.json<{ items: { id: string; recipient: string; code: string }[] }>()
          .items;
        ids.welcomeCode = items.find((r) => r.recipient === 'friend')?.code ?? '';
        ids.reward = items.find((r) => r.recipient === 'ambassador')?.id ?? 'missing';
      },
    ],
    [
      'POST /api/v1/vouchers/check',
      () =>
        ok({ method: 'POST', url: '/api/v1/vouchers/check', payload: { code: ids.welcomeCode } }),
    ],
    [
      'POST /api/v1/vouchers/redeem',
      () =>
        ok({ method: 'POST', url: '/api/v1/vouchers/redeem', payload: { code: ids.welcomeCode } }),
    ],
    [
      'POST /api/v1/rewards/:id/review',
      async () => {
        // Only a reward in the review queue can be decided on: put this one there.
        await t.db.kysely
          .updateTable('rewards')
          .set({ status: 'review' })
          .where('id', '=', ids.reward ?? '')
          .execute();
        await ok({
          method: 'POST',
          url: `/api/v1/rewards/${ids.reward}/review`,
          payload: { decision: 'approve', reason: 'Gebeld: echte klant' },
        });
      },
    ],
    [
      'POST /api/v1/referrals/:id/conversion/cancel',
      () => ok({ method: 'POST', url: `/api/v1/referrals/${ids.referral}/conversion/cancel` }),
    ],
    [
      'GET /api/v1/ambassador-tasks',
      async () => {
        const res = await ok({ url: '/api/v1/ambassador-tasks' });
        ids.task = res.json<{ items: { id: string }[] }>().items[0]?.id ?? 'missing';
      },
    ],
    [
      'POST /api/v1/ambassador-tasks/:id',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/ambassador-tasks/${ids.task}`,
          payload: { done: true },
        }),
    ],
    [
      'GET /api/v1/referral-programme/dashboard',
      () => ok({ url: '/api/v1/referral-programme/dashboard' }),
    ],
    [
      'DELETE /api/v1/referrals/:id/personal-data',
      () => ok({ method: 'DELETE', url: `/api/v1/referrals/${ids.referral}/personal-data` }),
    ],
    [
      'POST /api/v1/ambassadors/:id/status',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/ambassadors/${ids.ambassador}/status`,
          payload: { action: 'pause' },
        }),
    ],
    [
      'GET /api/v1/members',
      async () => {
        const res = await ok({ url: '/api/v1/members' });
        const members = res.json<{ items: { id: string; role: string }[] }>().items;
        ids.member = members.find((m) => m.role === 'viewer')?.id ?? 'missing';
      },
    ],
    [
      'PATCH /api/v1/members/:id',
      () =>
        ok({ method: 'PATCH', url: `/api/v1/members/${ids.member}`, payload: { role: 'manager' } }),
    ],
    [
      'DELETE /api/v1/members/:id',
      () => ok({ method: 'DELETE', url: `/api/v1/members/${ids.member}` }),
    ],
    [
      'POST /api/v1/visits',
      async () => {
        const record = (amount: number) =>
          ok({
            method: 'POST',
            url: '/api/v1/visits',
            payload: {
              externalId: 'W-1',
              customer: { email: 'jan@klant.example' },
              visitedAt: '2026-10-01',
              amount,
              kind: 'APK',
            },
          });
        await record(89.5);
        // The same visit again, corrected: recorded as an update, answered as documented.
        await record(95);
      },
    ],
    [
      'POST /api/v1/visits/batch',
      () =>
        ok({
          method: 'POST',
          url: '/api/v1/visits/batch',
          payload: {
            visits: [
              {
                externalId: 'W-2',
                customer: { email: 'jan@klant.example' },
                visitedAt: '2026-10-02',
                amount: 12,
              },
            ],
          },
        }),
    ],
    [
      'GET /api/v1/contacts/:id/visits',
      () => ok({ url: `/api/v1/contacts/${ids.contact}/visits` }),
    ],
    [
      'PUT /api/v1/visit-trigger',
      () =>
        ok({
          method: 'PUT',
          url: '/api/v1/visit-trigger',
          payload: { surveyId: ids.survey, enabled: true, kinds: ['APK'] },
        }),
    ],
    ['GET /api/v1/visit-trigger', () => ok({ url: '/api/v1/visit-trigger' })],
    ['GET /api/v1/loyalty', () => ok({ url: '/api/v1/loyalty' })],
    [
      'GET /api/v1/loyalty/tasks',
      async () => {
        // A lapsed-promoter task as the daily sweep writes it (the sweep has its own tests).
        ids.loyaltyTask = newId();
        await t.db.kysely
          .insertInto('loyalty_tasks')
          .values({
            id: ids.loyaltyTask,
            organisation_id: a.organisationId,
            contact_id: ids.contact ?? '',
            kind: 'lapsed_promoter',
            owner_employee_id: null,
            score: 9,
            last_visit_at: t.clock.now - 200 * 86_400_000,
            interval_days: 120,
            due_at: t.clock.now - 80 * 86_400_000,
            done_at: null,
            done_by: null,
            created_at: t.clock.now,
          })
          .execute();
        return ok({ url: '/api/v1/loyalty/tasks?status=all' });
      },
    ],
    [
      'POST /api/v1/loyalty/tasks/:id/done',
      () => ok({ method: 'POST', url: `/api/v1/loyalty/tasks/${ids.loyaltyTask}/done` }),
    ],
    [
      'GET /api/v1/notifications',
      async () => {
        // A celebrate note as the monthly evaluation writes it (the job has its own tests).
        ids.notification = newId();
        await t.db.kysely
          .insertInto('notifications')
          .values(
            notificationRow(ids.notification, a.organisationId, ids.employee ?? '', t.clock.now),
          )
          .execute();
        return ok({ url: '/api/v1/notifications?status=unread&limit=10' });
      },
    ],
    [
      'POST /api/v1/notifications/:id/read',
      () => ok({ method: 'POST', url: `/api/v1/notifications/${ids.notification}/read` }),
    ],
    // The public doors an integrator links to: the anonymous survey and the unsubscribe link.
    [
      'GET /s/:token',
      async () => {
        const survey = await t.db.kysely
          .selectFrom('surveys')
          .select('anonymous_token')
          .where('id', '=', ids.survey ?? '')
          .executeTakeFirstOrThrow();
        ids.anonymousToken = survey.anonymous_token;
        return ok({ url: `/s/${ids.anonymousToken}?lang=en` }, null);
      },
    ],
    [
      'POST /s/:token',
      () =>
        ok(
          {
            method: 'POST',
            url: `/s/${ids.anonymousToken}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'score=9&comment=Snel+geholpen',
          },
          null,
        ),
    ],
    [
      'GET /u/:token',
      async () => {
        const invitation = await t.db.kysely
          .selectFrom('invitations')
          .select('token')
          .where('organisation_id', '=', a.organisationId)
          .executeTakeFirstOrThrow();
        ids.invitationToken = invitation.token;
        return ok({ url: `/u/${ids.invitationToken}` }, null);
      },
    ],
    [
      'POST /u/:token',
      () =>
        ok(
          {
            method: 'POST',
            url: `/u/${ids.invitationToken}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'List-Unsubscribe=One-Click',
          },
          null,
        ),
    ],
    [
      'GET /rv/:token',
      async () => {
        // A review request as its job writes it (the job itself runs in test/api/review-email).
        const contact = await t.db.kysely
          .selectFrom('contacts')
          .select('id')
          .where('organisation_id', '=', a.organisationId)
          .executeTakeFirstOrThrow();
        ids.reviewToken = newToken();
        const id = newId();
        await t.db.kysely
          .insertInto('review_requests')
          .values({
            id,
            organisation_id: a.organisationId,
            contact_id: contact.id,
            response_id: null,
            token: ids.reviewToken,
            message_id: `<${id}.review@loyaal.test>`,
            created_at: Date.now(),
            sent_at: Date.now(),
            unsubscribed_at: null,
          })
          .execute();
        return ok({ url: `/rv/${ids.reviewToken}` }, null);
      },
    ],
    [
      'POST /rv/:token',
      () =>
        ok(
          {
            method: 'POST',
            url: `/rv/${ids.reviewToken}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'List-Unsubscribe=One-Click',
          },
          null,
        ),
    ],
    // The weekly digest's unsubscribe link: a token of one digest sent to the owner.
    [
      'GET /u/digest/:token',
      async () => {
        ids.digestToken = newToken();
        const membership = await t.db.kysely
          .selectFrom('memberships')
          .select('id')
          .where('organisation_id', '=', a.organisationId)
          .where('user_id', '=', a.userId)
          .executeTakeFirstOrThrow();
        await t.db.kysely
          .insertInto('digest_tokens')
          .values({
            id: newId(),
            organisation_id: a.organisationId,
            membership_id: membership.id,
            week: '2026-W44',
            token_hash: sha256(ids.digestToken),
            created_at: t.clock.now,
          })
          .execute();
        return ok({ url: `/u/digest/${ids.digestToken}` }, null);
      },
    ],
    [
      'POST /u/digest/:token',
      () =>
        ok(
          {
            method: 'POST',
            url: `/u/digest/${ids.digestToken}`,
            headers: { 'content-type': 'application/x-www-form-urlencoded' },
            payload: 'List-Unsubscribe=One-Click',
          },
          null,
        ),
    ],
    // Outgoing webhooks: an endpoint at an address nobody resolves here; nothing is drained, so
    // the test event and the replay stay queued.
    [
      'POST /api/v1/webhook-endpoints',
      async () => {
        ids.webhook = await idOf({
          method: 'POST',
          url: '/api/v1/webhook-endpoints',
          payload: {
            url: 'https://crm.garage.example/hooks/loyaal',
            events: ['response.created', 'case.opened'],
            description: 'CRM',
          },
        });
      },
    ],
    ['GET /api/v1/webhook-endpoints', () => ok({ url: '/api/v1/webhook-endpoints' })],
    [
      'GET /api/v1/webhook-endpoints/:id',
      () => ok({ url: `/api/v1/webhook-endpoints/${ids.webhook}` }),
    ],
    [
      'PATCH /api/v1/webhook-endpoints/:id',
      () =>
        ok({
          method: 'PATCH',
          url: `/api/v1/webhook-endpoints/${ids.webhook}`,
          payload: { events: ['case.opened'], format: 'slack' },
        }),
    ],
    [
      'POST /api/v1/webhook-endpoints/:id/rotate-secret',
      () => ok({ method: 'POST', url: `/api/v1/webhook-endpoints/${ids.webhook}/rotate-secret` }),
    ],
    [
      'POST /api/v1/webhook-endpoints/:id/test',
      async () => {
        ids.delivery = await idOf({
          method: 'POST',
          url: `/api/v1/webhook-endpoints/${ids.webhook}/test`,
        });
      },
    ],
    [
      'GET /api/v1/webhook-endpoints/:id/deliveries',
      () => ok({ url: `/api/v1/webhook-endpoints/${ids.webhook}/deliveries` }),
    ],
    [
      'POST /api/v1/webhook-endpoints/:id/deliveries/:deliveryId/replay',
      () =>
        ok({
          method: 'POST',
          url: `/api/v1/webhook-endpoints/${ids.webhook}/deliveries/${ids.delivery}/replay`,
        }),
    ],
    [
      'DELETE /api/v1/webhook-endpoints/:id',
      () => ok({ method: 'DELETE', url: `/api/v1/webhook-endpoints/${ids.webhook}` }),
    ],
    ['POST /api/v1/auth/logout', () => ok({ method: 'POST', url: '/api/v1/auth/logout' })],
  ];

  it('has a sample for every described operation', () => {
    const described = t.app.routeTable
      .filter((r) => r.operation)
      .map((r) => `${r.method} ${r.url}`);
    const sampled = new Set(samples.map(([key]) => key));
    expect(
      described.filter((key) => !sampled.has(key)),
      'add a sample request for these operations in openapi-responses.test.ts',
    ).toEqual([]);
    expect(samples.map(([key]) => key).filter((key) => !described.includes(key))).toEqual([]);
  });

  it('describes the success body of every operation', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<Doc>();
    const undescribed = t.app.routeTable
      .filter((r) => r.operation)
      .filter((r) => {
        const op = r.operation;
        if (!op || op.status === 204 || op.status === 303 || op.produces) return false;
        const pathKey = r.url.replace(/:([a-zA-Z]+)/g, '{$1}');
        const responses = doc.paths[pathKey]?.[r.method.toLowerCase()]?.responses ?? {};
        const success = Object.entries(responses).find(([status]) => status.startsWith('2'));
        return !success?.[1].content?.['application/json'];
      })
      .map((r) => `${r.method} ${r.url}`);
    expect(undescribed, 'describe the success body (`response`) of these operations').toEqual([]);
  });

  // Over a hundred real operations in one test (logins hash with argon2): generous on a loaded
  // machine, where 30 s was seen to run out.
  it(
    'answers every operation as documented: status, media type and body',
    { timeout: 300_000 },
    async () => {
      for (const [key, run] of samples) {
        try {
          await run();
        } catch (error) {
          throw new Error(`sample ${key}: ${String(error)}`, { cause: error });
        }
      }
      const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).json<Doc>();
      const ajv = new Ajv2020({ strict: false, allErrors: true });
      addFormats.default(ajv);
      ajv.addSchema(doc, 'openapi');
      const problems: string[] = [];
      const succeeded = new Set<string>();
      for (const r of responses) {
        const operation = t.app.routeTable.find(
          (e) => e.method === r.method && e.url === r.route && e.operation,
        );
        if (!operation || !r.route) continue;
        const key = `${r.method} ${r.route}`;
        const pathKey = r.route.replace(/:([a-zA-Z]+)/g, '{$1}');
        const documented = doc.paths[pathKey]?.[r.method.toLowerCase()]?.responses ?? {};
        const entry = documented[String(r.status)];
        if (!entry) {
          problems.push(`${key} answered ${r.status}, not documented: ${r.body.slice(0, 200)}`);
          continue;
        }
        // A form post's success is a redirect (303) to the next page.
        if (r.status < 300 || r.status === 303) succeeded.add(key);
        const mediaTypes = Object.keys(entry.content ?? {});
        const mediaType = (r.contentType ?? '').split(';')[0]?.trim() ?? '';
        if (mediaTypes.length === 0) {
          if (r.body !== '') problems.push(`${key} ${r.status}: a body where none is documented`);
          continue;
        }
        if (!mediaTypes.includes(mediaType)) {
          problems.push(`${key} ${r.status}: ${mediaType}, documented ${mediaTypes.join(', ')}`);
          continue;
        }
        if (mediaType !== 'application/json') continue;
        const pointer = `openapi#/paths/${pathKey.replace(/~/g, '~0').replace(/\//g, '~1')}/${r.method.toLowerCase()}/responses/${r.status}/content/application~1json/schema`;
        const validate = ajv.getSchema(pointer);
        if (!validate) {
          problems.push(`${key} ${r.status}: no schema at ${pointer}`);
          continue;
        }
        if (!validate(JSON.parse(r.body))) {
          problems.push(
            `${key} ${r.status}: ${ajv.errorsText(validate.errors, { separator: '; ' })} in ${r.body.slice(0, 300)}`,
          );
        }
      }
      expect(problems).toEqual([]);
      const described = t.app.routeTable
        .filter((r) => r.operation)
        .map((r) => `${r.method} ${r.url}`);
      expect(
        described.filter((key) => !succeeded.has(key)),
        'operations never answered with success',
      ).toEqual([]);
    },
  );

  it('passes the OpenAPI 3.1 linter (Redocly, recommended rules) without errors', async () => {
    const doc = (await t.app.inject({ url: '/api/v1/openapi.json' })).body;
    const config = await createConfig({ extends: ['recommended'] });
    const problems = await lintFromString({ source: doc, absoluteRef: 'openapi.json', config });
    expect(
      problems
        .filter((p) => p.severity === 'error')
        .map((p) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? ''}`),
    ).toEqual([]);
  });
});
