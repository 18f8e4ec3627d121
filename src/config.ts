import { isIP } from 'node:net';
import { z } from 'zod';
import { parseSecretKey } from './shared/secret-box.ts';

/**
 * All runtime configuration comes from the environment, parsed once at start-up so a typo in a
 * variable fails loudly instead of silently falling back. Every variable is documented in README.
 */
const schema = z.object({
  /**
   * `postgres://…` (or `postgresql://`), `sqlite:path`, or a bare file path. Anything else with a
   * scheme is a typo (`postgress://…`): refused, not opened as a SQLite file named after it.
   */
  DATABASE_URL: z
    .string()
    .refine(
      (url) =>
        /^postgres(ql)?:\/\/./.test(url) || url.startsWith('sqlite:') || !url.includes('://'),
      'must be a postgres:// URL, sqlite:PATH or a file path',
    )
    .default('sqlite:./data/loyaal.db'),
  /**
   * PostgreSQL connections one process keeps open at most. The sum over every app and worker
   * process must stay under the server's `max_connections` (or PgBouncer's pool).
   */
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(200).default(10),
  /**
   * A PostgreSQL streaming replica for dashboards, reports and exports; the primary takes over while
   * it is down or lags more than REPLICA_MAX_LAG_MS.
   */
  DATABASE_REPLICA_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a postgres:// URL of a streaming replica')
    .optional(),
  REPLICA_MAX_LAG_MS: z.coerce.number().int().min(0).max(3_600_000).default(10_000),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default('127.0.0.1'),
  PUBLIC_URL: z.string().url().optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  DATA_DIR: z.string().default('./data'),
  /** Megabytes of unfinished import uploads one organisation may keep in DATA_DIR. */
  IMPORT_QUOTA_MB: z.coerce.number().int().min(1).max(100_000).default(200),
  COOKIE_SECURE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  /**
   * The longest a client may take to send one whole request, headers and body (a 50 MB import over
   * a slow line included): a body sent a byte at a time no longer holds a connection forever.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(500).max(3_600_000).default(300_000),
  SESSION_DAYS: z.coerce.number().int().min(1).max(90).default(14),
  WORKER: z.enum(['inline', 'off']).default('inline'),
  WORKER_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(4),
  /** How long a worker leases a claimed job; after a crash its jobs run again when the lease ends. */
  WORKER_LEASE_MS: z.coerce.number().int().min(1000).default(60_000),
  SMTP_URL: z
    .string()
    .regex(/^smtps?:\/\/\S+$/, 'must look like smtp://user:pass@host:587 or smtps://…')
    .optional(),
  /**
   * How long the mail server may stay silent: connecting, greeting, and above all answering the
   * message (DATA). A message that takes more than twice this in all is given up and retried later.
   */
  SMTP_TIMEOUT_MS: z.coerce.number().int().min(500).max(600_000).default(60_000),
  MAIL_FROM: z.string().default('Loyaal <no-reply@localhost>'),
  /**
   * 32 random bytes (64 hex characters, or base64: `openssl rand -base64 32`) that encrypt the
   * secrets Loyaal stores, such as an organisation's SMTP password. Without it such a password is
   * refused, never stored in clear.
   */
  SECRET_KEY: z
    .string()
    .refine((v) => parseSecretKey(v) !== null, {
      message: 'must be 32 random bytes as 64 hex characters or base64 (openssl rand -base64 32)',
    })
    .optional(),
  BOUNCE_WEBHOOK_SECRET: z.string().min(16).optional(),
  /**
   * The least time between opening the friend's form and sending it: a person reads and types,
   * software posts at once (`domain/referrals/form-timing.ts`). 0 turns the minimum off.
   */
  FRIEND_FORM_MIN_SECONDS: z.coerce.number().min(0).max(60).default(2),
  /**
   * Outgoing webhooks refuse loopback, private and link-local targets (server-side request forgery:
   * an administrator could otherwise make the server call the cloud metadata service or the
   * database). `true` allows them, for tests and self-hosting where the receiver is on the LAN;
   * a cloud's metadata service (169.254.0.0/16, fd00:ec2::254, …) stays refused even then.
   */
  WEBHOOK_ALLOW_PRIVATE: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true'),
  LOGIN_RATE_LIMIT: z.coerce.number().int().min(1).default(10),
  /**
   * Where rate-limit counters live: `database` (shared by every app process; the default on
   * PostgreSQL) or `memory` (this process only; the default on SQLite, where one process serves).
   */
  RATE_LIMIT_STORE: z.enum(['memory', 'database']).optional(),
  /** Enables `GET /metrics` (Prometheus) for a scraper that sends `Authorization: Bearer <token>`. */
  METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').optional(),
  /** `loyaal worker` only: serve its own /metrics on this port (same token). */
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  /** Login attempts per address over all accounts per 15 minutes (one password sprayed widely). */
  LOGIN_ADDRESS_RATE_LIMIT: z.coerce.number().int().min(1).default(50),
  /**
   * Behind a reverse proxy: which hops of X-Forwarded-For to believe for the client's address (rate
   * limits). `false`, a number of proxies, or the proxies' addresses / CIDR ranges.
   */
  TRUST_PROXY: z.string().default('false').transform(parseTrustProxy),
});

/** What Fastify's `trustProxy` takes: nothing, a hop count, or the addresses of the proxies. */
export type TrustProxy = false | number | string[];

const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrRange(entry: string): boolean {
  if (PROXY_NAMES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  const bits = /^\d{1,3}$/.test(prefix) ? Number(prefix) : -1;
  return bits >= 0 && bits <= (version === 4 ? 32 : 128);
}

/**
 * `TRUST_PROXY`: `false`; a number of proxies in front of Loyaal (the client is the address that
 * many hops from the right of X-Forwarded-For); or the proxies' addresses and ranges. `true` used
 * to trust every hop, so a client could choose its own address with the header and escape the rate
 * limits: it is refused with an explanation rather than silently given another meaning.
 */
export function parseTrustProxy(value: string, ctx: z.RefinementCtx): TrustProxy {
  const v = value.trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true') {
    ctx.addIssue({
      code: 'custom',
      message:
        '`true` is no longer accepted: it trusted every hop of X-Forwarded-For, so a client could ' +
        'pick its own address and escape the rate limits. Give the number of proxies in front of ' +
        'Loyaal (usually 1), or their addresses, e.g. TRUST_PROXY=1 or TRUST_PROXY=10.0.0.0/8,127.0.0.1',
    });
    return z.NEVER;
  }
  if (/^\d+$/.test(v)) {
    const hops = Number(v);
    if (hops > 10) {
      ctx.addIssue({ code: 'custom', message: 'at most 10 proxies' });
      return z.NEVER;
    }
    return hops;
  }
  const entries = v.split(',').map((e) => e.trim());
  const wrong = entries.filter((e) => !isAddressOrRange(e));
  if (wrong.length > 0) {
    ctx.addIssue({
      code: 'custom',
      message: `not a number of proxies nor a list of addresses or CIDR ranges: ${wrong.join(', ')}`,
    });
    return z.NEVER;
  }
  return entries;
}

export type Config = z.infer<typeof schema> & {
  publicUrl: string;
  /** SECRET_KEY as bytes, or null when it is not set. */
  secretKey: Buffer | null;
};

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable (`SMTP_URL=` in an env file or compose.yaml) means "not set".
  const parsed = schema.safeParse(
    Object.fromEntries(Object.entries(env).filter(([, value]) => value !== '')),
  );
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  const c = parsed.data;
  return {
    ...c,
    publicUrl: c.PUBLIC_URL ?? `http://localhost:${c.PORT}`,
    secretKey: c.SECRET_KEY ? parseSecretKey(c.SECRET_KEY) : null,
  };
}
