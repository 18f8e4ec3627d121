import { parseArgs } from 'node:util';
import type { CliCommand } from '../../platform/define-module.ts';
import { countOrganisations } from '../organisations/organisations.repository.ts';
import { openConfiguredDatabase } from '../../db/open-configured-database.ts';
import { cliLocale } from '../../i18n/locale.ts';
import { t } from '../../i18n/messages.ts';
import { DEMO_ORGANISATION, DEMO_PASSWORD, seedDemo } from './seed-demo.ts';

/**
 * The command that starts Loyaal on the database (and port) the demo was just written to: the
 * printed address is only right if the server starts with the same settings.
 */
function startCommand(env: NodeJS.ProcessEnv = process.env): string {
  const vars = ['DATABASE_URL', 'PORT', 'HOST', 'PUBLIC_URL']
    .filter((name) => env[name])
    .map(
      (name) =>
        `${name}=${name === 'DATABASE_URL' ? withoutPassword(env[name] ?? '') : (env[name] ?? '')}`,
    );
  return [...vars, 'npm start'].join(' ');
}

/** A database URL as it may be shown on a terminal (and in a CI log): its password masked. */
export function withoutPassword(url: string): string {
  if (!url.includes('://')) return url;
  try {
    const u = new URL(url);
    if (u.password === '') return url;
    u.password = '***';
    return u.toString();
  } catch {
    return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
  }
}

/** `npm run demo`: fills the configured database with the demo organisation "Garage De Vries". */
export const demoCommand: CliCommand = {
  name: 'demo',
  help: '  demo [--contacts N]            fill the database with the demo organisation "Garage De Vries"',
  async run(args, config, platform) {
    // Strict: `--contacts=20` reads as `--contacts 20`, and a mistyped option is refused.
    const { values } = parseArgs({ args, options: { contacts: { type: 'string' } } });
    const contacts = values.contacts === undefined ? 4000 : Number(values.contacts);
    if (!Number.isInteger(contacts) || contacts < 1 || contacts > 100_000) {
      console.error('--contacts must be a whole number from 1 to 100000');
      return 2;
    }
    const db = await openConfiguredDatabase(config);
    try {
      // The demo's owner logs in with a password printed in the README: never beside real data.
      const others = await countOrganisations(db.kysely);
      if (others > 0) {
        console.error(t(cliLocale(), 'cli.demo.notEmpty', { count: others }));
        return 2;
      }
      const started = Date.now();
      const summary = await seedDemo({ db, config, platform }, { contacts });
      const l = cliLocale();
      const count = (n: number) => n.toLocaleString(l === 'nl' ? 'nl-NL' : 'en-GB');
      console.log(
        [
          t(l, 'cli.demo.ready', {
            organisation: DEMO_ORGANISATION,
            seconds: ((Date.now() - started) / 1000).toLocaleString(
              l === 'nl' ? 'nl-NL' : 'en-GB',
              {
                maximumFractionDigits: 1,
                minimumFractionDigits: 1,
              },
            ),
          }),
          `  ${t(l, 'cli.demo.counts', {
            contacts: count(summary.contacts),
            invitations: count(summary.invitations),
            responses: count(summary.responses),
            bounced: count(summary.bounced),
            unsubscribed: count(summary.unsubscribed),
          })}`,
          `  ${t(l, 'cli.demo.simulated')}`,
          t(l, 'cli.demo.start', { command: startCommand() }),
          t(l, 'cli.demo.login', {
            url: `${config.publicUrl}/admin/`,
            email: summary.ownerEmail,
            password: DEMO_PASSWORD,
          }),
        ].join('\n'),
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};
