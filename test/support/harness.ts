import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import type { Db, Dialect } from '../../src/db/database.ts';
import type { Role } from '../../src/db/schema.ts';
import { buildApp, type ObservedResponse } from '../../src/server/app.ts';
import type { Deps } from '../../src/platform/deps.ts';
import { serverLoggerOptions } from '../../src/server/log-redaction.ts';
import { newId } from '../../src/shared/ids.ts';
import { hashPassword } from '../../src/modules/auth/passwords.ts';
import { createOrganisationWithOwner } from '../../src/modules/organisations/organisations.service.ts';
import {
  insertMembership,
  insertUser,
} from '../../src/modules/organisations/organisations.repository.ts';
import { freshDatabase } from './databases.ts';
import { startSmtpServer, type TestSmtpServer } from './smtp-server.ts';
import { closeMailTransports } from '../../src/modules/email/mail-transport.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { modules } from '../../src/modules/index.ts';
import type { LoyaalModule } from '../../src/platform/define-module.ts';
import { createMetrics } from '../../src/platform/metrics.ts';
import { buildPlatform } from '../../src/platform/platform.ts';
import { platform } from '../../src/server/start.ts';

export interface TestApp {
  app: FastifyInstance;
  db: Db;
  deps: Deps;
  clock: { now: number };
  close(): Promise<void>;
}

export interface TestAppOptions {
  /** Test modules (a probe subscriber, say) plugged into the platform like a feature module. */
  extraModules?: readonly LoyaalModule[];
  /** SQLite only: a database file instead of memory (tests that read the file's bytes). */
  sqliteFile?: string;
  /** Collects every log line the app writes, at `trace` level, as production serialises them. */
  logLines?: string[];
  /** Collects every answer the app sends (route, status, media type, body). */
  responses?: ObservedResponse[];
  /**
   * Serves the admin app too, on the real clock instead of the fixed one: a browser keeps the
   * session cookie by its own clock. `test/support/admin-app.ts` starts it on a port with Chromium.
   */
  serveAdmin?: boolean;
  /**
   * An upgrade: the database is migrated up to (not including) `before`, `seed` writes rows as the
   * older schema holds them, and the remaining migrations run before the app starts.
   */
  upgrade?: { before: string; seed(db: Db): Promise<void> };
}

/** The real clock, shaped like the harness's fixed one (moving it by hand throws). */
const realClock = (): { now: number } => ({
  get now() {
    return Date.now();
  },
});

/** Starts the app on a fresh database of the dialect, with a controllable clock (unless `serveAdmin`). */
export async function startTestApp(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const db = await freshDatabase(dialect, {
    ...(options.sqliteFile ? { file: options.sqliteFile } : {}),
    ...(options.upgrade ? { migrateBefore: options.upgrade.before } : {}),
  });
  if (options.upgrade) {
    await options.upgrade.seed(db);
    await migrateToLatest(db);
  }
  const clock = options.serveAdmin ? realClock() : { now: Date.UTC(2026, 10, 1, 9, 0, 0) };
  const config: Config = loadConfig({ LOGIN_RATE_LIMIT: '1000', WORKER: 'off', ...env });
  const deps: Deps = {
    db,
    config,
    now: () => clock.now,
    platform: options.extraModules
      ? buildPlatform([...modules, ...options.extraModules])
      : platform,
    ...(config.METRICS_TOKEN ? { metrics: createMetrics(db) } : {}),
  };
  const lines = options.logLines;
  const responses = options.responses;
  const app = await buildApp(deps, {
    ...(lines
      ? {
          logger: serverLoggerOptions('trace', {
            write: (line: string) => void lines.push(line),
          }),
        }
      : {}),
    ...(responses ? { observeResponse: (r: ObservedResponse) => void responses.push(r) } : {}),
    ...(options.serveAdmin ? { serveAdmin: true } : {}),
  });
  await app.ready();
  return {
    app,
    db,
    deps,
    clock,
    close: async () => {
      await app.close();
      await db.close();
    },
  };
}

/** The app with a real SMTP server in the test process as its mail server. */
export interface MailingTestApp extends TestApp {
  smtp: TestSmtpServer;
}

/**
 * `startTestApp` sending its mail to a fresh in-process SMTP server (`smtp`), with a sender and
 * public address set; `close` also closes the mail transports and the server.
 */
export async function startMailingTestApp(
  dialect: Dialect,
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<MailingTestApp> {
  const smtp = await startSmtpServer();
  let t: TestApp;
  try {
    t = await startTestApp(
      dialect,
      {
        SMTP_URL: smtp.url,
        MAIL_FROM: 'Loyaal <noreply@loyaal.test>',
        PUBLIC_URL: 'https://nps.example.nl',
        ...env,
      },
      options,
    );
  } catch (error) {
    await smtp.close();
    throw error;
  }
  return {
    ...t,
    smtp,
    close: async () => {
      closeMailTransports();
      await t.close();
      await smtp.close();
    },
  };
}

/** A logged-in browser-like client: session cookie plus CSRF header on every request. */
export interface Client {
  cookie: string;
  csrf: string;
  /** The address the user logs in with (every test user's password is TEST_PASSWORD). */
  email: string;
  userId: string;
  organisationId: string;
  request(opts: InjectOptions): Promise<LightMyRequestResponse>;
}

function cookieFrom(res: LightMyRequestResponse): string {
  const c = res.cookies.find((x) => x.name === 'loyaal_session');
  if (!c) throw new Error(`no session cookie (status ${res.statusCode}: ${res.body})`);
  return `loyaal_session=${c.value}`;
}

export async function login(t: TestApp, email: string, password: string): Promise<Client> {
  const res = await t.app.inject({
    method: 'POST',
    url: '/api/v1/auth/login',
    payload: { email, password },
  });
  if (res.statusCode !== 200) throw new Error(`login failed: ${res.statusCode} ${res.body}`);
  const cookie = cookieFrom(res);
  const me = await t.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers: { cookie } });
  const body = me.json<{ user: { id: string }; organisation: { id: string }; csrfToken: string }>();
  return {
    cookie,
    csrf: body.csrfToken,
    email,
    userId: body.user.id,
    organisationId: body.organisation.id,
    request: (opts) =>
      t.app.inject({
        ...opts,
        headers: { cookie, 'x-csrf-token': body.csrfToken, ...(opts.headers ?? {}) },
      }),
  };
}

export const TEST_PASSWORD = 'correct horse battery';
const PASSWORD = TEST_PASSWORD;
let counter = 0;

/** Creates an organisation with an owner and logs the owner in. */
export async function buildOrganisation(t: TestApp, name = 'Garage De Vries'): Promise<Client> {
  const email = `owner${++counter}-${newId().slice(-12)}@example.nl`;
  await t.db.kysely
    .transaction()
    .execute((trx) =>
      createOrganisationWithOwner(
        trx,
        { organisationName: name, locale: 'nl', name: 'Eigenaar', email, password: PASSWORD },
        t.clock.now,
      ),
    );
  const client = await login(t, email, PASSWORD);
  await quietDigest(t, client.organisationId);
  return client;
}

/**
 * Test organisations start with the weekly digest off for everyone: most tests count the emails a
 * worker sends, and the digest (on by default for owners, admins and managers) would join them on
 * any Monday after 07:00, real or test clock. The digest's own tests call `digestByRoleDefault`.
 */
async function quietDigest(t: TestApp, organisationId: string, userId?: string): Promise<void> {
  let update = t.db.kysely
    .updateTable('memberships')
    .set({ weekly_digest: 0 })
    .where('organisation_id', '=', organisationId);
  if (userId) update = update.where('user_id', '=', userId);
  await update.execute();
}

/** Gives the organisation's members (or one user) the product's default digest choice back. */
export async function digestByRoleDefault(
  t: TestApp,
  organisationId: string,
  userId?: string,
): Promise<void> {
  let update = t.db.kysely
    .updateTable('memberships')
    .set({ weekly_digest: null })
    .where('organisation_id', '=', organisationId);
  if (userId) update = update.where('user_id', '=', userId);
  await update.execute();
}

/** Adds a user with a role (and optionally a linked employee) to an organisation and logs them in. */
export async function buildMember(
  t: TestApp,
  organisationId: string,
  role: Role,
  employeeId: string | null = null,
): Promise<Client> {
  const email = `${role}${++counter}-${newId().slice(-12)}@example.nl`;
  const userId = newId();
  await insertUser(t.db.kysely, {
    id: userId,
    email,
    name: role,
    password_hash: await hashPassword(PASSWORD),
    locale: 'nl',
    now: t.clock.now,
  });
  await insertMembership(t.db.kysely, {
    id: newId(),
    organisation_id: organisationId,
    user_id: userId,
    role,
    employee_id: employeeId,
    now: t.clock.now,
  });
  await quietDigest(t, organisationId, userId);
  return login(t, email, PASSWORD);
}
