import { parseArgs } from 'node:util';
import type { Db } from '../db/database.ts';
import { openConfiguredDatabase } from '../db/open-configured-database.ts';
import { notFound } from '../shared/errors.ts';
import type { CliCommand } from './contract.ts';

/**
 * The organisations a rebuild covers: all of them, or the one asked for — which must exist (a
 * mistyped id is an error, not "1 organisation rebuilt").
 */
export function oneOrAll(all: readonly string[], organisationId: string | undefined): string[] {
  if (organisationId === undefined) return [...all];
  if (!all.includes(organisationId)) throw notFound('organisation');
  return [organisationId];
}

export interface RebuildCommand {
  /** The command's name: `loyaal <name> rebuild [--org ID]`. */
  name: string;
  /** What is rebuilt, as the printed line starts: `rollups rebuilt: …`. */
  what: string;
  /** The rest of the `loyaal help` text after `<name> rebuild [--org ID]`, one or two lines. */
  help: string;
  /** Rebuilds for every organisation, or for one; says what it did (`2 organisation(s), …`). */
  rebuild(db: Db, organisationId: string | undefined): Promise<string>;
}

/**
 * A `loyaal <name> rebuild [--org ID]` command: recomputes data kept from other data (rollups, the
 * loyalty facts) for all organisations or one, on its own connection from `DATABASE_URL`, and
 * prints one line with what it did and how long it took.
 */
export function defineRebuildCommand(c: RebuildCommand): CliCommand {
  const usage = `${c.name} rebuild [--org ID]`;
  return {
    name: c.name,
    help: `  ${usage.padEnd(29)}${c.help}`,
    async run(args, config) {
      const { values, positionals } = parseArgs({
        args,
        options: { org: { type: 'string' } },
        allowPositionals: true,
      });
      // An empty --org (an unset $ORG in a script) is a mistake, not "every organisation".
      if (positionals[0] !== 'rebuild' || positionals.length > 1 || values.org === '') {
        console.error(`usage: loyaal ${usage}`);
        return 2;
      }
      const db = await openConfiguredDatabase(config);
      try {
        const started = performance.now();
        const done = await c.rebuild(db, values.org);
        console.log(`${c.what} rebuilt: ${done} in ${Math.round(performance.now() - started)} ms`);
        return 0;
      } finally {
        await db.close();
      }
    },
  };
}
