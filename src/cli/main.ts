import { parseArgs } from 'node:util';
import { loadConfig } from '../config.ts';
import { cliLocale } from '../i18n/locale.ts';
import { t } from '../i18n/messages.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { partitionPending } from '../db/partitions.ts';
import { backupDatabase } from '../db/backup.ts';
import { openDatabase } from '../db/database.ts';
import { startWorker } from '../platform/jobs/worker.ts';
import { createOrganisationWithOwner } from '../modules/organisations/organisations.service.ts';
import { setupSchema } from '../modules/organisations/organisations.schemas.ts';
import { createApiKey } from '../modules/api-keys/api-keys.service.ts';
import { openConfiguredDatabase } from '../db/open-configured-database.ts';
import { serveWorkerMetrics } from '../server/metrics-endpoint.ts';
import { makeDeps, platform, serve } from '../server/start.ts';
import { parseInput } from '../platform/http/validation.ts';
import { AppError, notFound } from '../shared/errors.ts';
import { ROLES } from '../modules/auth/policies.ts';
import { findOrganisation } from '../modules/organisations/organisations.repository.ts';
import type { Role } from '../db/schema.ts';

const HELP = `loyaal <command> [options]

Commands:
  serve                         start the HTTP server (and the job worker unless WORKER=off)
  worker                        run the job worker only
  migrate                       bring the database schema up to date, and partition the large tables
                                left plain at start (PostgreSQL; prints its progress)
  backup --to FILE              a consistent copy of the running database (SQLite online backup; pg_dump on PostgreSQL)
  create-org --name N --owner-email E --owner-name N [--password P] [--locale nl|en]
                                create an organisation and its owner (password from LOYAAL_PASSWORD if omitted)
  create-api-key --org ID --name N [--role admin]
                                create an API key; it is shown once
${platform.commands.map((c) => c.help).join('\n')}
Configuration comes from the environment (see README).`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  const config = loadConfig();
  switch (command) {
    case 'serve': {
      const server = await serve(config);
      // The JSON log is for machines; this line is for the person who typed `npm start`.
      const address = server.app.server.address();
      const port = typeof address === 'object' && address ? address.port : config.PORT;
      const base = config.PUBLIC_URL ?? `http://localhost:${port}`;
      const l = cliLocale();
      console.log(
        `\n  ${t(l, 'cli.running', { url: `${base.replace(/\/+$/, '')}/admin/` })}\n  ${t(l, 'cli.stop')}\n`,
      );
      const shutdown = () => void server.close().then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return -1;
    }
    case 'worker': {
      const db = await openConfiguredDatabase(config, { backgroundCheckpoint: true });
      const deps = makeDeps(db, config);
      const metricsServer =
        deps.metrics && config.METRICS_TOKEN && config.METRICS_PORT
          ? serveWorkerMetrics(deps.metrics, config.METRICS_TOKEN, config.METRICS_PORT)
          : null;
      const worker = startWorker(deps, {
        concurrency: config.WORKER_CONCURRENCY,
        leaseMs: config.WORKER_LEASE_MS,
        log: (m, d) => console.error(m, d ?? ''),
      });
      console.log(`worker ${worker.id} started (concurrency ${config.WORKER_CONCURRENCY})`);
      const shutdown = () =>
        void worker
          .stop()
          .then(() => metricsServer?.close())
          .then(() => db.close())
          .then(() => process.exit(0));
      process.once('SIGINT', shutdown);
      process.once('SIGTERM', shutdown);
      return -1;
    }
    case 'migrate': {
      const db = await openDatabase(config.DATABASE_URL);
      try {
        const applied = await migrateToLatest(db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'schema is up to date');
        // Large tables a migration left plain (too long to copy at start): partitioned now.
        await partitionPending(db.kysely, Date.now(), (line) => console.log(line));
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'backup': {
      const { values } = parseArgs({ args: rest, options: { to: { type: 'string' } } });
      if (!values.to) {
        console.error('usage: loyaal backup --to FILE');
        return 2;
      }
      const db = await openDatabase(config.DATABASE_URL);
      try {
        const result = await backupDatabase(db, config.DATABASE_URL, values.to);
        console.log(
          `backup written to ${result.file} (${result.bytes} bytes, ${result.method})` +
            (result.method === 'pg_dump'
              ? `; restore into an empty database with: pg_restore --no-owner -d <database> ${result.file}`
              : `; restore: stop Loyaal and put this file in place of the database file`),
        );
        return 0;
      } finally {
        await db.close();
      }
    }
    case 'create-org': {
      const { values } = parseArgs({
        args: rest,
        options: {
          name: { type: 'string' },
          'owner-email': { type: 'string' },
          'owner-name': { type: 'string' },
          password: { type: 'string' },
          locale: { type: 'string', default: 'nl' },
        },
      });
      const input = parseInput(setupSchema, {
        organisationName: values.name,
        name: values['owner-name'],
        email: values['owner-email'],
        password: values.password ?? process.env.LOYAAL_PASSWORD,
        locale: values.locale,
      });
      const db = await openConfiguredDatabase(config);
      const result = await db.kysely
        .transaction()
        .execute((trx) => createOrganisationWithOwner(trx, input, Date.now()));
      console.log(JSON.stringify(result));
      await db.close();
      return 0;
    }
    case 'create-api-key': {
      const { values } = parseArgs({
        args: rest,
        options: {
          org: { type: 'string' },
          name: { type: 'string' },
          role: { type: 'string', default: 'admin' },
        },
      });
      if (!values.org || !values.name || !ROLES.includes(values.role as Role)) {
        console.error('usage: loyaal create-api-key --org ID --name NAME [--role admin]');
        return 2;
      }
      const db = await openConfiguredDatabase(config);
      try {
        if (!(await findOrganisation(db.kysely, values.org))) throw notFound('organisation');
        const key = await db.kysely
          .transaction()
          .execute((trx) =>
            createApiKey(
              trx,
              { kind: 'system', organisationId: values.org ?? '' },
              { name: values.name ?? '', role: values.role as Role },
              Date.now(),
            ),
          );
        console.log(key.secret);
        return 0;
      } finally {
        await db.close();
      }
    }
    default: {
      const extra = platform.commands.find((c) => c.name === command);
      if (extra) return extra.run(rest, config, platform);
      console.log(HELP);
      return command === undefined || command === 'help' || command === '--help' ? 0 : 2;
    }
  }
}

/**
 * The usage of one command, from the help text: its line and the lines that continue it. An option
 * the command does not know, or one without its value, answers with this, not a stack trace.
 */
function usageOf(command: string | undefined): string {
  const lines = HELP.split('\n');
  const start = lines.findIndex((l) => command !== undefined && l.startsWith(`  ${command} `));
  if (start < 0) return `usage: ${HELP.split('\n')[0] ?? ''}`;
  const own = [lines[start] ?? ''];
  for (const line of lines.slice(start + 1)) {
    if (!/^ {30,}\S/.test(line)) break;
    own.push(line);
  }
  return own.map((l, i) => (i === 0 ? `usage: loyaal ${l.trim()}` : l)).join('\n');
}

const isParseArgsError = (err: unknown): boolean =>
  typeof (err as { code?: unknown } | null)?.code === 'string' &&
  (err as { code: string }).code.startsWith('ERR_PARSE_ARGS_');

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (err: unknown) => {
    if (isParseArgsError(err)) {
      const asked = argv.includes('--help') || argv.includes('-h');
      (asked ? console.log : console.error)(
        `${asked ? '' : `${(err as Error).message}\n`}${usageOf(argv[0])}`,
      );
      process.exit(asked ? 0 : 2);
    }
    if (err instanceof AppError) {
      const entity = typeof err.params.entity === 'string' ? ` (${err.params.entity})` : '';
      console.error(
        `error: ${err.code}${entity}${err.issues.map((i) => `\n  ${i.field}: ${i.problem}`).join('')}`,
      );
    } else if (err instanceof Error && err.message.startsWith('Invalid configuration')) {
      console.error(err.message);
    } else if (err instanceof Error && process.env.LOG_LEVEL !== 'debug') {
      // The operator reads what went wrong; where in the code it went wrong is for LOG_LEVEL=debug.
      console.error(`error: ${err.message}`);
    } else {
      console.error(err);
    }
    process.exit(1);
  },
);
