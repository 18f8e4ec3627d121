import fs from 'node:fs';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Db } from '../../src/db/database.ts';
import { startWorker } from '../../src/platform/jobs/worker.ts';
import { buildApp } from '../../src/server/app.ts';
import { platform } from '../../src/server/start.ts';
import { launchBrowser, newPage, screenshot } from '../support/browser.ts';
import { describeInBrowserOnce, freshDatabase } from '../support/databases.ts';
import { buildOrganisation, type Client, type TestApp } from '../support/harness.ts';
import { PHONE, horizontalOverflow } from './first-day.helpers.ts';

/** Every screen of the admin app, as `web/src/routes.tsx` lists them. */
const PATTERNS = [
  ...fs
    .readFileSync(join(import.meta.dirname, '..', '..', 'web', 'src', 'routes.tsx'), 'utf8')
    .matchAll(/pattern: '([^']+)'/g),
].map((m) => m[1] ?? '');

const BOUNDARY = 'loyaal-overflow';

const CONTACT = 'Renée Çelik-Smit van Rijswijk-Oudenhoven';
const CONTACT_EMAIL = 'renee.celik-smit.van.rijswijk-oudenhoven@langedomeinnaam-voorbeeld.example';
const EMPLOYEE = 'Mohamed El Amrani-Van Leeuwenhoek';
const EMPLOYEE_EMAIL = 'mohamed.el.amrani-van.leeuwenhoek@autobedrijf-vanderheijden.example';
const ACCOUNT = 'Transportonderneming Gebroeders Van Oostveen-Dijkstra B.V.';
const LOCATION = 'Vestiging Leeuwarden-Westeinde Industrieterrein Hemrik en Omstreken';
const SURVEY = 'Klanttevredenheid na werkplaatsbezoek en onderhoudsbeurt';
const LONG_WORD = 'ditiseenheellangwoordzonderspatiesomdelayouttetesten';
const WEBHOOK = 'Klantrelatiebeheersysteem Van der Heijden-Vermeulen';

/**
 * What each screen draws with its data (the organisation's long names, mostly: what would stick
 * out). A screen is measured only once all of its markers are there: measured earlier, it is the
 * Loading line, which always fits, and the walk would pass whatever the data does to the layout.
 * Screens without data of their own (a new record's form, the redeem box) wait for their form.
 */
const LOADED: Record<string, (page: Page) => Locator[]> = (() => {
  const text = (page: Page, s: string) => page.locator('main').getByText(s).first();
  const id = (page: Page, s: string) => page.getByTestId(s).first();
  const option = (page: Page, s: string) => page.locator('main option', { hasText: s }).first();
  const results = (page: Page) => [
    id(page, 'nps-value'),
    id(page, 'trend-chart'),
    id(page, 'distribution-chart'),
    id(page, 'funnel-sent'),
    id(page, 'mail-banner'),
  ];
  return {
    '/': (p) => [id(p, 'checklist'), ...results(p)],
    '/organisations': (p) => [text(p, ' · nu geopend')],
    '/profile': (p) => [text(p, 'Voor uw rol staat het standaard aan.')],
    '/contacts': (p) => [text(p, CONTACT_EMAIL), option(p, EMPLOYEE)],
    '/contacts/new': (p) => [option(p, EMPLOYEE), option(p, ACCOUNT), option(p, LOCATION)],
    '/contacts/:id': (p) => [
      text(p, CONTACT),
      id(p, 'visits-card'),
      option(p, EMPLOYEE),
      option(p, ACCOUNT),
      option(p, LOCATION),
    ],
    '/accounts': (p) => [text(p, ACCOUNT)],
    '/accounts/new': (p) => [option(p, EMPLOYEE)],
    '/accounts/:id': (p) => [text(p, ACCOUNT), option(p, EMPLOYEE)],
    '/employees': (p) => [text(p, EMPLOYEE_EMAIL)],
    '/employees/new': (p) => [p.getByRole('button', { name: 'Medewerker toevoegen' })],
    '/employees/:id': (p) => [text(p, EMPLOYEE)],
    '/locations': (p) => [text(p, LOCATION), id(p, 'location-qr'), option(p, SURVEY)],
    '/import': (p) => [text(p, 'Kies een bestand')],
    '/import/:id': (p) => [id(p, 'count-rejected'), id(p, 'import-errors')],
    '/surveys': (p) => [text(p, SURVEY)],
    '/surveys/:id': (p) => [id(p, 'preview-frame'), id(p, 'anonymous-link'), id(p, 'qr-code')],
    '/surveys/:id/send': (p) => [id(p, 'send-preview'), id(p, 'mail-banner')],
    '/results': results,
    '/employees/:id/results': (p) => [
      id(p, 'employee-nps-value'),
      id(p, 'employee-trend'),
      id(p, 'employee-comments'),
    ],
    '/team-results': (p) => [p.getByTestId('team-table').getByText(EMPLOYEE).first()],
    '/themes': (p) => [id(p, 'themes-analysed'), id(p, 'theme-suggestions'), id(p, 'theme-editor')],
    '/breakdown': (p) => [id(p, 'funnel-plot'), id(p, 'breakdown-table')],
    '/notifications': (p) => [text(p, 'Geen meldingen')],
    '/responses': (p) => [text(p, LONG_WORD)],
    '/loyalty': (p) => [id(p, 'lapsed-promoters'), id(p, 'return-chart'), id(p, 'earned-growth')],
    '/ambassadors': (p) => [
      id(p, 'thank-you-task'),
      p.getByTestId('register-table').getByText(CONTACT).first(),
    ],
    '/ambassadors/:id': (p) => [text(p, CONTACT), id(p, 'consent-record'), id(p, 'score-history')],
    '/referrals': (p) => [id(p, 'review-empty'), text(p, 'Nog geen aanbevelingen')],
    '/rewards': (p) => [id(p, 'reward-totals'), text(p, 'Nog geen beloningen')],
    '/redeem': (p) => [p.getByRole('button', { name: 'Controleren' })],
    '/referral-programme': (p) => [id(p, 'reward-amb'), id(p, 'reward-friend')],
    '/referral-programme/dashboard': (p) => [id(p, 'programme-tiles'), id(p, 'pool-table')],
    '/cases': (p) => [p.getByTestId('cases-table').getByText(CONTACT).first()],
    '/cases/report': (p) => [id(p, 'report-row-all'), id(p, 'report-row-none')],
    '/cases/:id': (p) => [text(p, LONG_WORD), id(p, 'case-log'), id(p, 'case-invitations')],
    '/outbox': (p) => [p.getByTestId('outbox-table').getByText(CONTACT_EMAIL).first()],
    '/outbox/:id': (p) => [text(p, CONTACT_EMAIL), id(p, 'email-frame')],
    '/team': (p) => [text(p, EMPLOYEE)],
    '/api-keys': (p) => [text(p, 'Nog geen sleutels')],
    '/webhooks': (p) => [p.getByTestId('webhooks-table').locator('tbody tr').first()],
    '/webhooks/:id': (p) => [
      text(p, WEBHOOK),
      id(p, 'webhook-state'),
      text(p, 'Nog niets verstuurd.'),
    ],
    '/settings': (p) => [id(p, 'retention-summary'), id(p, 'logo-upload')],
    '/settings/mail': (p) => [id(p, 'mail-route')],
    '/settings/reviews': (p) => [id(p, 'reviews-none')],
  };
})();

/**
 * Issue 8, must-show 2: no admin screen scrolls sideways on a 390 px phone. An organisation with
 * something on every screen (a contact with visits, an account, an employee, a survey that was
 * sent and answered by a detractor so a case opened, an import with a rejected row, an ambassador,
 * mail in the outbox) is walked screen by screen; every pattern in routes.tsx must be visited.
 */
describeInBrowserOnce('admin app at 390 px: no screen scrolls sideways', (dialect) => {
  let db: Db;
  let browser: Browser;
  let page: Page;
  let owner: Client;
  let close: () => Promise<void> = async () => {};
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    db = await freshDatabase(dialect);
    const dataDir = mkdtempSync(join(tmpdir(), 'loyaal-overflow-'));
    const config = loadConfig({
      LOGIN_RATE_LIMIT: '1000',
      WORKER: 'off',
      DATA_DIR: dataDir,
      // Webhook endpoint secrets are stored encrypted with the installation's key.
      SECRET_KEY: 'a'.repeat(64),
    });
    const clock = { now: Date.now() };
    const deps = { db, config, now: () => clock.now, platform };
    const app = await buildApp(deps, { serveAdmin: true });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
    const t: TestApp = { app, db, deps, clock, close: async () => {} };
    owner = await buildOrganisation(t, 'Autobedrijf Van der Heijden-Vermeulen & Zonen B.V.');
    const post = async (url: string, payload: object) => {
      const res = await owner.request({ method: 'POST', url, payload });
      if (res.statusCode >= 300) throw new Error(`${url}: ${res.statusCode} ${res.body}`);
      return res.json<{ id: string }>().id;
    };
    const drain = () => startWorker(deps, { concurrency: 2 }, false).drain();
    ids.employee = await post('/api/v1/employees', {
      name: 'Mohamed El Amrani-Van Leeuwenhoek',
      email: 'mohamed.el.amrani-van.leeuwenhoek@autobedrijf-vanderheijden.example',
    });
    await post('/api/v1/locations', {
      name: 'Vestiging Leeuwarden-Westeinde Industrieterrein Hemrik en Omstreken',
    });
    ids.account = await post('/api/v1/accounts', {
      name: 'Transportonderneming Gebroeders Van Oostveen-Dijkstra B.V.',
      ownerEmployeeId: ids.employee,
    });
    ids.contact = await post('/api/v1/contacts', {
      name: 'Renée Çelik-Smit van Rijswijk-Oudenhoven',
      email: 'renee.celik-smit.van.rijswijk-oudenhoven@langedomeinnaam-voorbeeld.example',
      externalId: 'K-100',
      phone: '+31 6 1234 5678',
      ownerEmployeeId: ids.employee,
      accountId: ids.account,
    });
    await post('/api/v1/visits', {
      externalId: 'W-1',
      customer: { externalId: 'K-100' },
      visitedAt: new Date(clock.now - 30 * 86_400_000).toISOString().slice(0, 10),
      amount: 1049,
      kind: 'APK',
    });
    ids.survey = await post('/api/v1/surveys', {
      name: 'Klanttevredenheid na werkplaatsbezoek en onderhoudsbeurt',
      status: 'active',
    });
    await post(`/api/v1/surveys/${ids.survey}/sends`, {
      selection: { kind: 'all' },
      schedule: { kind: 'now' },
    });
    await drain();
    const invitation = await db.kysely
      .selectFrom('invitations')
      .select('token')
      .where('contact_id', '=', ids.contact)
      .executeTakeFirstOrThrow();
    await app.inject({
      method: 'POST',
      url: `/r/${invitation.token}`,
      payload: {
        score: 3,
        comment:
          'De auto stond twee dagen langer dan afgesproken en niemand belde terug.ditiseenheellangwoordzonderspatiesomdelayouttetesten',
      },
    });
    await drain();
    const outbox = await owner.request({ url: '/api/v1/outbox' });
    ids.email = outbox.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
    ids.webhook = await post('/api/v1/webhook-endpoints', {
      url: 'https://crm.autobedrijf-vanderheijden-vermeulen-en-zonen.example/api/v2/integrations/loyaal/webhooks/incoming',
      events: ['response.created', 'case.opened', 'case.resolved'],
      description: 'Klantrelatiebeheersysteem Van der Heijden-Vermeulen',
    });
    const cases = await owner.request({ url: '/api/v1/cases' });
    ids.case = cases.json<{ items: { id: string }[] }>().items[0]?.id ?? '';
    const csv = 'Naam;E-mailadres\nJan Jansen;jan@@voorbeeld\nPiet;piet@voorbeeld.nl\n';
    const upload = await owner.request({
      method: 'POST',
      url: '/api/v1/imports',
      headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      payload: `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="klanten-met-een-heel-lange-bestandsnaam-export-2026.csv"\r\nContent-Type: text/csv\r\n\r\n${csv}\r\n--${BOUNDARY}--\r\n`,
    });
    const imp = upload.json<{ id: string; detected: { suggestedMapping: object } }>();
    ids.import = imp.id;
    await owner.request({
      method: 'POST',
      url: `/api/v1/imports/${imp.id}/validate`,
      payload: { mapping: imp.detected.suggestedMapping },
    });
    await drain();
    const programme = await owner.request({
      method: 'PUT',
      url: '/api/v1/referral-programme',
      payload: {
        enabled: true,
        settings: {
          friendReward: { kind: 'voucher', description: 'Welkom', costCents: 500, validMonths: 3 },
        },
      },
    });
    expect(programme.statusCode, programme.body).toBe(200);
    ids.ambassador = await post('/api/v1/ambassadors', {
      contactId: ids.contact,
      consentNote: 'Aan de balie gevraagd',
    });
    await drain();
    browser = await launchBrowser();
    page = await newPage(browser, base);
    page.setDefaultTimeout(30_000);
    await page
      .context()
      .addCookies([{ name: 'loyaal_session', value: owner.cookie.split('=')[1] ?? '', url: base }]);
    close = async () => {
      await browser.close();
      await app.close();
      await db.close();
      rmSync(dataDir, { recursive: true, force: true });
    };
  });
  afterAll(async () => close());

  /** The address of a pattern with this organisation's records. */
  const pathOf = (pattern: string): string =>
    pattern
      .replace('/contacts/:id', `/contacts/${ids.contact}`)
      .replace('/accounts/:id', `/accounts/${ids.account}`)
      .replace('/employees/:id', `/employees/${ids.employee}`)
      .replace('/import/:id', `/import/${ids.import}`)
      .replace('/surveys/:id', `/surveys/${ids.survey}`)
      .replace('/ambassadors/:id', `/ambassadors/${ids.ambassador}`)
      .replace('/cases/:id', `/cases/${ids.case}`)
      .replace('/outbox/:id', `/outbox/${ids.email}`)
      .replace('/webhooks/:id', `/webhooks/${ids.webhook}`);

  it(
    'walks every screen of routes.tsx at 390 px without sideways scrolling',
    { timeout: 600_000 },
    async () => {
      expect(PATTERNS.length).toBeGreaterThan(30);
      await page.setViewportSize(PHONE);
      const failures: string[] = [];
      for (const pattern of PATTERNS) {
        const path = pathOf(pattern);
        expect(path, `no fixture for ${pattern}`).not.toContain(':');
        const markers = LOADED[pattern];
        expect(markers, `no loaded marker for ${pattern}`).toBeDefined();
        await page.goto(`/admin${path === '/' ? '/' : path}`);
        // Measured once the data is drawn (see LOADED), and no part of the screen still loading.
        for (const marker of markers?.(page) ?? []) await marker.waitFor({ state: 'attached' });
        await expect.poll(() => page.locator('main .loading').count(), { timeout: 30_000 }).toBe(0);
        // Charts size themselves from a ResizeObserver a moment later: a sideways scroll must
        // last, not only show in one frame of that.
        let overflow = await horizontalOverflow(page);
        for (let tries = 0; overflow.px > 0 && tries < 20; tries++) {
          await new Promise((resolve) => setTimeout(resolve, 250));
          overflow = await horizontalOverflow(page);
        }
        if (overflow.px > 0) {
          failures.push(`${pattern}: ${overflow.px}px (${overflow.culprits.join(', ')})`);
          await screenshot(page, `overflow-${pattern.replace(/[/:]/g, '_')}-${dialect}`);
        }
      }
      expect(failures).toEqual([]);
    },
  );

  it('keeps the email’s score buttons tappable at 320 px, with 10 inside its button', async () => {
    const email = await owner.request({ url: `/api/v1/outbox/${ids.email}` });
    const html = email.json<{ html?: string | null }>().html ?? '';
    expect(html).toContain('10');
    await page.setViewportSize({ width: 320, height: 640 });
    await page.setContent(html);
    const boxes = await page.evaluate(() =>
      Array.from(document.querySelectorAll('a'))
        .filter((a) => /^(10|[0-9])$/.test((a.textContent ?? '').trim()))
        .map((a) => {
          const r = a.getBoundingClientRect();
          return {
            text: (a.textContent ?? '').trim(),
            width: r.width,
            height: r.height,
            right: r.right,
          };
        }),
    );
    expect(boxes.map((b) => b.text)).toEqual([
      '0',
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
      '7',
      '8',
      '9',
      '10',
    ]);
    for (const b of boxes) {
      expect(b.height, `score ${b.text}`).toBeGreaterThanOrEqual(32);
      // Eleven buttons share 320 px, so each is about 22 px wide; the height makes them tappable.
      expect(b.width, `score ${b.text}`).toBeGreaterThanOrEqual(20);
      expect(b.right, `score ${b.text} inside the screen`).toBeLessThanOrEqual(320);
    }
    const ten = await page.evaluate(() => {
      const a = Array.from(document.querySelectorAll('a')).find(
        (x) => (x.textContent ?? '').trim() === '10',
      );
      return a ? a.scrollWidth <= a.clientWidth + 1 : false;
    });
    expect(ten, '"10" fits inside its button').toBe(true);
  });
});
