import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import type { CliCommand } from '../../platform/define-module.ts';
import type { Locale } from '../../db/schema.ts';
import { t } from '../../i18n/messages.ts';
import { openConfiguredDatabase } from '../../db/open-configured-database.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { contactRows } from './contact-rows.ts';
import { mappingSchema } from './imports.schemas.ts';
import * as service from './imports.service.ts';

const USAGE =
  'usage: loyaal import --org ID --file PATH [--mapping auto|mapping.json] [--mode valid_only|nothing]';
const FIRST_ERRORS = 20;

/**
 * `loyaal import`: the same detect → validate → commit as the admin app, run synchronously in
 * this process (no worker involved), for scripted imports and for files too large to upload by
 * hand. Without `--mode`, a file with rejected rows stops after validation and waits for a
 * choice, like the admin app does.
 */
export const importCommand: CliCommand = {
  name: 'import',
  help: `  import --org ID --file PATH [--mapping auto|mapping.json] [--mode valid_only|nothing]
                                import contacts from a CSV or .xlsx file (detect, validate, commit)`,
  async run(args, config, platform) {
    const { values } = parseArgs({
      args,
      options: {
        org: { type: 'string' },
        file: { type: 'string' },
        mapping: { type: 'string', default: 'auto' },
        mode: { type: 'string' },
      },
    });
    const mode = values.mode;
    if (
      !values.org ||
      !z.uuid().safeParse(values.org).success ||
      !values.file ||
      (mode !== undefined && mode !== 'valid_only' && mode !== 'nothing')
    ) {
      console.error(USAGE);
      return 2;
    }
    let mapping: Record<string, string> | null = null;
    if (values.mapping !== 'auto') {
      mapping = parseInput(mappingSchema, JSON.parse(fs.readFileSync(values.mapping, 'utf8')));
    }
    const db = await openConfiguredDatabase(config);
    try {
      const org = await findOrganisation(db.kysely, values.org);
      if (!org) throw new AppError('not_found', { params: { entity: 'organisation' } });
      const locale: Locale = org.locale;
      const actor = { kind: 'system' as const, organisationId: org.id };
      const now = () => Date.now();
      const run: service.RunContext = {
        db,
        dataDir: config.DATA_DIR,
        now,
        deps: { db, config, now, platform },
      };
      const print = (line: string) => console.log(line);

      const id = newId();
      const inspection = await service.stageLocalFile(config.DATA_DIR, id, values.file);
      const chosen = mapping ?? inspection.suggestedMapping;
      const issues = contactRows.checkMapping(chosen, inspection.headers);
      if (issues.length) {
        await service.removeFile(
          service.importFilePath(config.DATA_DIR, id, inspection.shape.format),
        );
        throw new AppError('validation_failed', { issues });
      }
      const created = await db.kysely
        .transaction()
        .execute((trx) =>
          service.createImport(
            trx,
            actor,
            { id, filename: service.cleanFilename(path.basename(values.file ?? '')), inspection },
            Date.now(),
            locale,
          ),
        );
      print(
        t(locale, 'import.cli.detected', {
          filename: created.filename,
          format: created.format,
          encoding: created.detected.encoding ?? '-',
          delimiter: JSON.stringify(created.detected.delimiter ?? '-'),
          rows: created.progress.total,
        }),
      );
      for (const [header, target] of Object.entries(chosen)) {
        print(t(locale, 'import.cli.mapping', { header, target }));
      }

      await db.kysely
        .transaction()
        .execute((trx) =>
          service.requestValidation(trx, actor, id, chosen, Date.now(), locale, { queue: false }),
        );
      const validation = await service.runValidation(run, org.id, id);
      const validated = await service.getImport(db.kysely, actor, id, locale);
      if (validation.status === 'failed') {
        print(t(locale, 'import.cli.failed', { message: describe(validated.error) }));
        return 1;
      }
      print(
        t(locale, 'import.cli.validated', {
          valid: validated.progress.valid,
          rejected: validated.progress.rejected,
          total: validated.progress.total,
        }),
      );
      await printErrors(db.kysely, actor, id, locale, validated.progress.rejected);

      if (mode === undefined && validated.progress.rejected > 0) {
        print(t(locale, 'import.cli.chooseMode', { id }));
        return 3;
      }
      const result = await db.kysely.transaction().execute((trx) =>
        service.requestCommit(trx, actor, id, mode ?? 'valid_only', Date.now(), locale, {
          queue: false,
        }),
      );
      if (result.cancelled) {
        await service.removeFile(service.importFilePath(config.DATA_DIR, id, created.format));
        print(t(locale, 'import.cli.cancelled', { id }));
        return 0;
      }
      const committed = await service.runCommit(run, org.id, id);
      const done = await service.getImport(db.kysely, actor, id, locale);
      if (committed.status !== 'completed') {
        print(t(locale, 'import.cli.failed', { message: describe(done.error) }));
        return 1;
      }
      print(
        t(locale, 'import.cli.completed', {
          created: done.progress.created,
          updated: done.progress.updated,
          rejected: done.progress.rejected,
        }),
      );
      return 0;
    } finally {
      await db.close();
    }
  },
};

function describe(error: { message: string; fields?: { message: string }[] } | null): string {
  if (!error) return '-';
  return [error.message, ...(error.fields ?? []).map((f) => f.message)].join(' ');
}

async function printErrors(
  db: Parameters<typeof service.listImportErrors>[0],
  actor: service.ImportActor,
  id: string,
  locale: Locale,
  rejected: number,
): Promise<void> {
  if (rejected === 0) return;
  const page = await service.listImportErrors(
    db,
    actor,
    id,
    { limit: FIRST_ERRORS, total: false },
    locale,
  );
  for (const e of page.items) {
    console.log(
      t(locale, 'import.cli.error', {
        line: e.line,
        column: e.column ?? e.field ?? '-',
        message: e.message,
        value: e.value ?? '',
      }),
    );
  }
  if (page.nextCursor) {
    const total = await service.countImportErrors(db, actor, id);
    console.log(t(locale, 'import.cli.moreErrors', { count: total - page.items.length }));
  }
}
