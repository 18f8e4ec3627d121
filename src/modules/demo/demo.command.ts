import type { CliCommand } from '../../platform/define-module.ts';
import { openConfiguredDatabase } from '../../db/open-configured-database.ts';
import { seedDemo } from './seed-demo.ts';

/** `npm run demo`: fills the configured database with the demo organisation "Garage De Vries". */
export const demoCommand: CliCommand = {
  name: 'demo',
  help: '  demo [--contacts N]            fill the database with the demo organisation "Garage De Vries"',
  async run(args, config) {
    const i = args.indexOf('--contacts');
    const contacts = i >= 0 ? Number(args[i + 1]) : 4000;
    if (!Number.isInteger(contacts) || contacts < 1 || contacts > 100_000) {
      console.error('--contacts must be a whole number from 1 to 100000');
      return 2;
    }
    const db = await openConfiguredDatabase(config);
    try {
      const started = Date.now();
      const summary = await seedDemo(db, { contacts });
      console.log(
        [
          `Demo organisation "Garage De Vries" is ready (${((Date.now() - started) / 1000).toFixed(1)} s):`,
          `  ${summary.contacts} customers, ${summary.invitations} invitations, ${summary.responses} responses,`,
          `  ${summary.bounced} bounces, ${summary.unsubscribed} unsubscribes.`,
          `Log in at ${config.publicUrl}/admin/ with ${summary.ownerEmail} / loyaal-demo-2026`,
        ].join('\n'),
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
