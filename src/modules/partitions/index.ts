import { z } from 'zod';
import { defineModule } from '../../platform/define-module.ts';
import { defineJob, handleJob } from '../../platform/jobs/define-job.ts';
import { ensureMonthlyPartitions } from '../../db/partitions.ts';
import { partitionsCommand } from './partitions.command.ts';

/** Creates next months' partitions ahead of time (PostgreSQL); nothing to do on SQLite. */
export const partitionsAheadJob = defineJob({
  type: 'partitions.ahead',
  payload: z.object({}),
  maxAttempts: 5,
});

const partitionsAheadHandler = handleJob(partitionsAheadJob, {
  run: async (_payload, ctx) => {
    const { created, blocked } = await ensureMonthlyPartitions(ctx.db.kysely, ctx.now());
    const parts = [
      ...(created.length ? [`created ${created.join(', ')}`] : []),
      // Not a failure: those months' rows stay in the default partition (src/db/partitions.ts).
      ...(blocked.length ? [`kept in the default partition: ${blocked.join(', ')}`] : []),
    ];
    return { status: 'success', detail: parts.length ? parts.join('; ') : 'up to date' };
  },
});

/**
 * Monthly partitions of the large time-ordered tables on PostgreSQL (issue 13; design in
 * src/db/partitions.ts): created ahead by a daily schedule, which runs once per day however many
 * workers run, and detached for retention with `loyaal partitions --detach-before`.
 */
export const partitionsModule = defineModule({
  name: 'partitions',
  jobs: [partitionsAheadHandler],
  schedules: [{ name: 'partitions.ahead', dailyAt: '00:15', job: partitionsAheadJob }],
  commands: [partitionsCommand],
});
