import { parseArgs } from 'node:util';
import type { CliCommand } from '../../platform/define-module.ts';
import { openConfiguredDatabase } from '../../db/open-configured-database.ts';
import { rebuildRollups } from './rollups.service.ts';

/** `loyaal rollups rebuild [--org ID]`: recounts the dashboards' rollups from the answers. */
export const rollupsCommand: CliCommand = {
  name: 'rollups',
  help: `  rollups rebuild [--org ID]   recount the results rollups from the answers (all organisations
                                or one); safe while Loyaal runs`,
  async run(args, config) {
    const { values, positionals } = parseArgs({
      args,
      options: { org: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals[0] !== 'rebuild') {
      console.error('usage: loyaal rollups rebuild [--org ID]');
      return 2;
    }
    const db = await openConfiguredDatabase(config);
    try {
      const started = performance.now();
      const done = await rebuildRollups(db, values.org);
      console.log(
        `rollups rebuilt: ${done.organisations} organisation(s), ${done.days} day(s) in ${Math.round(performance.now() - started)} ms`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
