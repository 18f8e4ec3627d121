import { parseArgs } from 'node:util';
import type { CliCommand } from '../../platform/define-module.ts';
import { openConfiguredDatabase } from '../../db/open-configured-database.ts';
import { rebuildLoyaltyFacts } from './contact-facts.service.ts';

/** `loyaal loyalty rebuild [--org ID]`: recomputes the loyalty report's facts per contact. */
export const loyaltyCommand: CliCommand = {
  name: 'loyalty',
  help: `  loyalty rebuild [--org ID]   recompute the loyalty report's facts per contact from the
                                answers, invitations and visits (all organisations or one)`,
  async run(args, config) {
    const { values, positionals } = parseArgs({
      args,
      options: { org: { type: 'string' } },
      allowPositionals: true,
    });
    if (positionals[0] !== 'rebuild') {
      console.error('usage: loyaal loyalty rebuild [--org ID]');
      return 2;
    }
    const db = await openConfiguredDatabase(config);
    try {
      const started = performance.now();
      const done = await rebuildLoyaltyFacts(db, Date.now(), values.org);
      console.log(
        `loyalty facts rebuilt: ${done.organisations} organisation(s), ${done.contacts} contact(s) in ${Math.round(performance.now() - started)} ms`,
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
