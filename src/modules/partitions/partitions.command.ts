import { parseArgs } from 'node:util';
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Database } from '../../db/schema.ts';
import {
  HISTORY_MONTHS,
  latestDetachableMonth,
  linkTokenCutoff,
} from '../../domain/privacy/retention.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { listOrganisationSettings } from '../organisations/organisations.repository.ts';
import type { CliCommand } from '../../platform/define-module.ts';
import { openConfiguredDatabase } from '../../db/open-configured-database.ts';
import {
  detachPartitionsBefore,
  ensureMonthlyPartitions,
  listPartitions,
  MONTHLY_PARTITIONED_TABLES,
  type PartitionedTable,
} from '../../db/partitions.ts';

const USAGE = 'usage: loyaal partitions [--detach-before YYYY-MM [--table NAME]...]';

/**
 * The tables `--detach-before` detaches when no `--table` is named. Not answers nor visits: they are
 * the NPS and loyalty history every figure is made of, so an operator detaches their months only by
 * naming them.
 */
const DETACHED_BY_DEFAULT: readonly PartitionedTable[] = [
  'invitations',
  'webhook_deliveries',
  'emails',
];

/**
 * Rows an old month's partition may still hold that the application needs (a wave planned months
 * ahead is created, and so partitioned, in the month it was planned): described when there are
 * any, else null. An invitation planned or sent since `history` (the contact rules count a year
 * of them) is needed as much as one still to go. Answers and visits are history, named by the
 * operator on purpose.
 */
async function liveRows(
  db: Kysely<Database>,
  table: PartitionedTable,
  partition: string,
  now: number,
  history: number,
): Promise<string | null> {
  const live: Partial<Record<PartitionedTable, [RawBuilder<unknown>, string]>> = {
    invitations: [
      sql`status in ('planned', 'queued', 'outbox') or expires_at > ${linkTokenCutoff(now)}
        or planned_at >= ${history} or sent_at >= ${history}`,
      'invitations still to be sent, sent within the history the contact rules read, or links still in use',
    ],
    webhook_deliveries: [sql`status = 'pending'`, 'webhook deliveries still to be made'],
    emails: [sql`status in ('queued', 'held')`, 'emails still to be sent'],
  };
  const rule = live[table];
  if (!rule) return null;
  const found = await sql<{
    n: string;
  }>`select count(*) as n from ${sql.table(partition)} where ${rule[0]}`.execute(db);
  const n = Number(found.rows[0]?.n ?? 0);
  return n > 0 ? `${n} ${rule[1]}` : null;
}

/**
 * `loyaal partitions`: creates the coming months' partitions (as the daily job does) and lists
 * every partition; with `--detach-before 2025-01` it first detaches the months before January 2025
 * from invitations, webhook deliveries and emails (or the tables named by `--table`, answers and
 * visits only so), for the operator to archive (`pg_dump -t`) and drop.
 */
export const partitionsCommand: CliCommand = {
  name: 'partitions',
  help: `  partitions [--detach-before YYYY-MM [--table invitations|webhook_deliveries|emails|responses|visits]...]
                                PostgreSQL: create coming months' partitions, list them, detach old months`,
  async run(args, config) {
    const { values } = parseArgs({
      args,
      options: { 'detach-before': { type: 'string' }, table: { type: 'string', multiple: true } },
    });
    const before = values['detach-before'];
    const match = before === undefined ? null : /^(\d{4})-(0[1-9]|1[0-2])$/.exec(before);
    const named = values.table ?? [];
    const detach = MONTHLY_PARTITIONED_TABLES.filter((t) =>
      named.length > 0 ? named.includes(t) : DETACHED_BY_DEFAULT.includes(t),
    );
    if (
      (before !== undefined && !match) ||
      named.some((t) => !(MONTHLY_PARTITIONED_TABLES as readonly string[]).includes(t))
    ) {
      console.error(USAGE);
      return 2;
    }
    const db = await openConfiguredDatabase(config);
    try {
      if (db.dialect !== 'postgres') {
        console.log('SQLite: no partitions (only PostgreSQL partitions its large tables).');
        return 0;
      }
      const kysely = db.kysely;
      if (match) {
        const limit = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
        const now = Date.now();
        const periods = (await listOrganisationSettings(kysely)).map(
          (o) => parseSettings(o.settings).retentionMonths,
        );
        const latest = latestDetachableMonth(now, periods);
        if (limit > latest) {
          // Table-wide: a month detached is gone for every organisation in the database.
          console.error(
            `refused: ${before} reaches into a retention period or the ${HISTORY_MONTHS} months of history (longest retention: ${Math.max(0, ...periods)} months); detach before ${new Date(latest).toISOString().slice(0, 7)} at the latest`,
          );
          return 2;
        }
        for (const table of detach) {
          const keep = async (partition: string) => {
            const live = await liveRows(kysely, table, partition, now, latest);
            if (live) console.log(`kept ${partition}: it still holds ${live}`);
            return live !== null;
          };
          for (const name of await detachPartitionsBefore(kysely, table, limit, keep)) {
            console.log(`detached ${name}`);
          }
        }
      }
      const { created, blocked } = await ensureMonthlyPartitions(kysely, Date.now());
      for (const name of created) console.log(`created ${name}`);
      for (const name of blocked) {
        console.log(
          `${name} not created: the default partition already holds rows of that month (they stay there)`,
        );
      }
      for (const table of MONTHLY_PARTITIONED_TABLES) {
        const parts = await listPartitions(kysely, table);
        console.log(
          `${table}: ${parts.length ? parts.map((p) => p.name).join(', ') : 'not partitioned yet (loyaal migrate)'}`,
        );
      }
      return 0;
    } finally {
      await db.close();
    }
  },
};
