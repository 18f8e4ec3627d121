import fs from 'node:fs';
import path from 'node:path';
import type { Deps } from '../../platform/deps.ts';
import type { Db, Executor } from '../../db/database.ts';
import type {
  ImportErrorTable,
  ImportKind,
  ImportRejectedRowTable,
  ImportStatus,
  Locale,
} from '../../db/schema.ts';
import { enqueue } from '../../platform/jobs/define-job.ts';
import { importCommitJob, importValidateJob } from './imports.jobs.ts';
import { decodeCursor, encodeCursor, pageRequest, toPage, type Page } from '../../shared/cursor.ts';
import { AppError, invalid, notFound, type FieldIssue } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findEmployee } from '../employees/employees.repository.ts';
import { findLocation } from '../locations/locations.repository.ts';
import { locationKey } from '../locations/locations.service.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { t } from '../../i18n/messages.ts';
import { writeCsv } from './csv-writer.ts';
import { REASON_COLUMN } from './header-mapping.ts';
import { writeXlsx } from './xlsx-writer.ts';
import { inspectFile, normaliseHeaders, type Inspection } from './inspect-file.ts';
import * as repo from './imports.repository.ts';
import {
  columnsByField,
  encodeProblem,
  parseDetected,
  parseMapping,
  presentImport,
  presentImportError,
  storeError,
  type ImportErrorJson,
  type ImportJson,
} from './imports.presenter.ts';
import type {
  CommitMode,
  ListImportErrorsInput,
  ListImportsInput,
  ResolveLocationsInput,
  ResolveOwnersInput,
} from './imports.schemas.ts';
import {
  mergeResolutions,
  ownerKey,
  parseResolutions,
  type OwnerResolution,
} from './owner-resolutions.ts';
import {
  mergeLocationResolutions,
  parseLocationResolutions,
  type LocationResolution,
} from './location-resolutions.ts';
import { readRows, type FileShape, type SourceRow } from './read-rows.ts';
import {
  parseOptions,
  type ImportOptions,
  type KindPass,
  type PassInput,
  type RowKind,
  type RowReject,
} from './row-kind.ts';
import { rowKind } from './row-kinds.ts';

/** Who starts an import: a user, an API key, or the CLI (`system`). */
export type ImportActor = Actor | { kind: 'system'; organisationId: string };

/** Rows per batch: one lookup query, one progress update and (at commit) one write per table. */
export const BATCH_ROWS = 500;

/** Uploads live in `<DATA_DIR>/imports/<importId>.<csv|xlsx>` until the import ends. */
export function importFilePath(dataDir: string, id: string, format: 'csv' | 'xlsx'): string {
  return path.join(dataDir, 'imports', `${id}.${format}`);
}

/** A fresh, unique path to stream an upload to before its format is known. */
export async function uploadTempPath(dataDir: string, id: string): Promise<string> {
  const dir = path.join(dataDir, 'imports');
  await fs.promises.mkdir(dir, { recursive: true });
  return path.join(dir, `${id}.upload`);
}

/** Deletes an upload once its import ends; a missing file is not an error. */
export async function removeFile(file: string): Promise<void> {
  await fs.promises.rm(file, { force: true });
}

/** A file name safe to show and store: no directories, no control characters, 200 characters. */
export function cleanFilename(name: string | undefined): string {
  const base = (name ?? '').split(/[\\/]/).pop() ?? '';
  const cleaned = [...base]
    .filter((c) => c >= ' ' && c !== '\u007f')
    .join('')
    .trim()
    .slice(0, 200);
  return cleaned || 'import';
}

async function organisationLocale(db: Executor, organisationId: string): Promise<Locale> {
  return (await findOrganisation(db, organisationId))?.locale ?? 'nl';
}

async function getImportRow(db: Executor, organisationId: string, id: string) {
  const row = await repo.findImport(db, organisationId, id);
  if (!row) throw notFound('import');
  return row;
}

/**
 * Reads a stored upload and moves it to its final name: inspection happens outside any
 * transaction, as it reads the whole file. A file that is not a spreadsheet is deleted and
 * refused with `import_invalid_file`.
 */
export async function inspectUpload(
  dataDir: string,
  id: string,
  tempPath: string,
): Promise<Inspection> {
  try {
    const inspection = await inspectFile(tempPath);
    await fs.promises.rename(tempPath, importFilePath(dataDir, id, inspection.shape.format));
    return inspection;
  } catch (error) {
    await removeFile(tempPath);
    throw error;
  }
}

/** The CLI's upload: copies a local file into the data directory, then inspects it like an upload. */
export async function stageLocalFile(
  dataDir: string,
  id: string,
  source: string,
): Promise<Inspection> {
  const temp = await uploadTempPath(dataDir, id);
  await fs.promises.copyFile(source, temp);
  return inspectUpload(dataDir, id, temp);
}

/** Records an inspected upload as an import waiting for its mapping. */
export async function createImport(
  db: Executor,
  actor: ImportActor,
  input: { id: string; filename: string; inspection: Inspection; kind?: ImportKind },
  now: number,
  locale: Locale,
): Promise<ImportJson> {
  const { inspection } = input;
  const kind = input.kind ?? 'contacts';
  const row = {
    id: input.id,
    organisation_id: actor.organisationId,
    created_by: actor.kind === 'system' ? null : actor.id,
    filename: input.filename,
    format: inspection.shape.format,
    status: 'uploaded' as const,
    detected: JSON.stringify({
      encoding: inspection.encoding,
      delimiter: inspection.delimiter,
      headerLine: inspection.headerLine,
      headers: inspection.headers,
      suggestedMapping: rowKind(kind).suggestMapping(inspection.headers),
      preview: inspection.preview,
    }),
    mapping: null,
    total_rows: inspection.totalRows,
    processed_rows: 0,
    valid_rows: 0,
    rejected_rows: 0,
    created_rows: 0,
    updated_rows: 0,
    without_email_rows: 0,
    owner_resolutions: null,
    location_resolutions: null,
    error: null,
    kind,
    options: null,
    question: null,
    created_at: now,
    updated_at: now,
  };
  await repo.insertImport(db, row);
  return presentImport(row, locale);
}

/** One import of the actor's organisation, with status and progress (the progress bar polls it). */
export async function getImport(
  db: Executor,
  actor: ImportActor,
  id: string,
  locale: Locale,
): Promise<ImportJson> {
  return presentImport(await getImportRow(db, actor.organisationId, id), locale);
}

/** The organisation's imports, newest first. */
export async function listImports(
  db: Executor,
  actor: ImportActor,
  input: ListImportsInput,
  locale: Locale,
): Promise<Page<ImportJson>> {
  const rows = await repo.listImports(db, actor.organisationId, pageRequest(input));
  return toPage(rows, input.limit, (r) => presentImport(r, locale));
}

/** Rejected rows in file order, each with a message in the reader's language. */
export async function listImportErrors(
  db: Executor,
  actor: ImportActor,
  id: string,
  input: ListImportErrorsInput,
  locale: Locale,
): Promise<Page<ImportErrorJson>> {
  const imp = await getImportRow(db, actor.organisationId, id);
  // The keyset cursor reuses the shared encoding, with the line in the place of created_at.
  const after = input.cursor ? decodeCursor(input.cursor) : undefined;
  const rows = await repo.listImportErrors(db, actor.organisationId, id, {
    limit: input.limit,
    after: after ? { line: after.createdAt, id: after.id } : undefined,
  });
  const more = rows.length > input.limit;
  const items = more ? rows.slice(0, input.limit) : rows;
  const last = items[items.length - 1];
  const columns = columnsByField(parseMapping(imp.mapping));
  return {
    items: items.map((r) => presentImportError(r, columns, locale)),
    nextCursor: more && last ? encodeCursor({ createdAt: last.line, id: last.id }) : null,
    ...(input.total ? { total: await repo.countImportErrors(db, actor.organisationId, id) } : {}),
  };
}

/** The number of problems in an import's report. */
export async function countImportErrors(
  db: Executor,
  actor: ImportActor,
  id: string,
): Promise<number> {
  await getImportRow(db, actor.organisationId, id);
  return repo.countImportErrors(db, actor.organisationId, id);
}

/**
 * Stores the mapping and queues validation. Allowed after upload, after an earlier validation
 * (to try another mapping) and after a failure; the conditional state change makes a double
 * click start one job, not two.
 */
export async function requestValidation(
  db: Executor,
  actor: ImportActor,
  id: string,
  mapping: Readonly<Record<string, string>>,
  now: number,
  locale: Locale,
  options: { queue?: boolean; answers?: ImportOptions } = {},
): Promise<ImportJson> {
  const imp = await getImportRow(db, actor.organisationId, id);
  const issues = rowKind(imp.kind).checkMapping(mapping, parseDetected(imp.detected).headers);
  if (issues.length) throw new AppError('validation_failed', { issues });
  // Not from `failed`: a failed import's upload is deleted, so it starts again with a new upload.
  await startValidation(
    db,
    actor,
    id,
    ['uploaded', 'validated'],
    {
      mapping: JSON.stringify(mapping),
      // The answers about the file as sent now (the wizard sends them again with a new mapping).
      options: JSON.stringify(options.answers ?? {}),
      question: null,
    },
    now,
    options,
  );
  return getImport(db, actor, id, locale);
}

/**
 * Moves the import from one of `from` to `validating` with `patch` and its counts cleared, and
 * queues the validation. The conditional state change makes a double click start one job, not two
 * (the second gets `import_not_ready`). The CLI validates in its own process (queue: false), so no
 * worker races it for the file.
 */
async function startValidation(
  db: Executor,
  actor: ImportActor,
  id: string,
  from: readonly ImportStatus[],
  patch: repo.ImportPatch,
  now: number,
  options: { queue?: boolean },
): Promise<void> {
  const started = await repo.transitionImport(db, actor.organisationId, id, from, {
    ...patch,
    status: 'validating',
    processed_rows: 0,
    valid_rows: 0,
    rejected_rows: 0,
    without_email_rows: 0,
    error: null,
    updated_at: now,
  });
  if (!started) throw new AppError('import_not_ready');
  if (options.queue !== false) {
    await enqueue(
      db,
      importValidateJob,
      { importId: id },
      { organisationId: actor.organisationId, now },
    );
  }
}

/**
 * The user's choice after validation. `nothing` cancels (and the route deletes the file);
 * `valid_only` queues the commit. No mode on a file with rejected rows is refused, so a partial
 * import is always a deliberate choice.
 */
export async function requestCommit(
  db: Executor,
  actor: ImportActor,
  id: string,
  mode: CommitMode | undefined,
  now: number,
  locale: Locale,
  options: { queue?: boolean } = {},
): Promise<{ import: ImportJson; cancelled: boolean }> {
  const imp = await getImportRow(db, actor.organisationId, id);
  if (mode === 'nothing') {
    const cancelled = await repo.transitionImport(
      db,
      actor.organisationId,
      id,
      ['uploaded', 'validated', 'failed'],
      { status: 'cancelled', updated_at: now },
    );
    if (!cancelled) throw new AppError('import_not_ready');
    await recordAudit(
      db,
      actor,
      { action: 'import.cancelled', entityType: 'import', entityId: id },
      now,
    );
    return { import: await getImport(db, actor, id, locale), cancelled: true };
  }
  if (imp.status !== 'validated') throw new AppError('import_not_ready');
  // An open question (which decimal separator?) means no row has been judged yet.
  if (imp.question !== null) throw new AppError('import_question_open');
  if (mode === undefined && imp.rejected_rows > 0) throw new AppError('import_has_errors');
  const started = await repo.transitionImport(db, actor.organisationId, id, ['validated'], {
    status: 'importing',
    processed_rows: 0,
    error: null,
    updated_at: now,
  });
  if (!started) throw new AppError('import_not_ready');
  if (options.queue !== false) {
    await enqueue(
      db,
      importCommitJob,
      { importId: id },
      { organisationId: actor.organisationId, now },
    );
  }
  // The one audit entry of an import: who decided to write which file into the contacts.
  await recordAudit(
    db,
    actor,
    {
      action: 'import.committed',
      entityType: 'import',
      entityId: id,
      data: { validRows: imp.valid_rows, rejectedRows: imp.rejected_rows },
    },
    now,
  );
  return { import: await getImport(db, actor, id, locale), cancelled: false };
}

/** What the download of rejected rows sends: a file like the upload, with a reason column. */
export interface RejectedFile {
  filename: string;
  contentType: string;
  body: Buffer;
}

/** Why a row was rejected, in words: "E-mailadres: is geen geldig e-mailadres; Taal: …". */
function reasonsOf(problems: readonly ImportErrorJson[], kind: RowKind, locale: Locale): string {
  return problems
    .map((p) => {
      const label =
        p.column ??
        (p.field === null
          ? null
          : p.field.startsWith('attributes.')
            ? p.field.slice('attributes.'.length)
            : kind.label(locale, p.field));
      return label ? `${label}: ${p.message}` : p.message;
    })
    .join('; ');
}

/**
 * The rejected rows as a file in the upload's own format and encoding (an .xlsx for an .xlsx; a
 * Windows-1252 CSV with semicolons for Excel's Dutch export), each row as it was with a last
 * column saying why, so the owner fixes them in Excel and imports the file again. The reason
 * column is ignored by the next import's suggested mapping.
 */
export async function rejectedRowsFile(
  db: Executor,
  actor: ImportActor,
  id: string,
  locale: Locale,
): Promise<RejectedFile> {
  const imp = await getImportRow(db, actor.organisationId, id);
  const detected = parseDetected(imp.detected);
  const columns = columnsByField(parseMapping(imp.mapping));
  const width = detected.headers.length;
  const rows: string[][] = [[...detected.headers, REASON_COLUMN[locale]]];
  for (let afterLine = 0; ;) {
    const page = await repo.listRejectedRows(db, actor.organisationId, id, {
      limit: 1000,
      afterLine,
    });
    if (!page.length) break;
    const problems = new Map<number, ImportErrorJson[]>();
    for (const e of await repo.errorsOfLines(
      db,
      actor.organisationId,
      id,
      page.map((r) => r.line),
    )) {
      const list = problems.get(e.line) ?? [];
      list.push(presentImportError(e, columns, locale));
      problems.set(e.line, list);
    }
    for (const r of page) {
      let cells: string[] = [];
      try {
        const parsed = JSON.parse(r.cells) as unknown;
        if (Array.isArray(parsed)) cells = parsed.map((c) => String(c ?? ''));
      } catch {
        // A damaged row still appears, with its reason.
      }
      const padded = Array.from({ length: width }, (_, i) => cells[i] ?? '');
      rows.push([...padded, reasonsOf(problems.get(r.line) ?? [], rowKind(imp.kind), locale)]);
    }
    afterLine = page[page.length - 1]?.line ?? afterLine;
    if (page.length < 1000) break;
  }
  const base = imp.filename.replace(/\.[^.]*$/, '') || 'import';
  const suffix = t(locale, 'import.rejected.fileSuffix');
  if (imp.format === 'xlsx') {
    return {
      filename: `${base}-${suffix}.xlsx`,
      contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      body: writeXlsx(suffix, rows),
    };
  }
  const encoding = detected.encoding ?? 'utf-8';
  return {
    filename: `${base}-${suffix}.csv`,
    contentType: `text/csv; charset=${encoding}`,
    body: writeCsv(rows, { encoding, delimiter: detected.delimiter ?? ';' }),
  };
}

/** At most this many distinct unknown names are listed per column (a hostile file has 100,000). */
export const MAX_OWNER_NAMES = 500;

/**
 * A column whose cells name a record the file's rows refer to (an account manager, a location)
 * and whose unknown names the owner decides on: create, link to an existing one, or leave empty.
 */
interface NamedColumn<P extends string, R extends { value: string; action: string }> {
  field: 'owner' | 'location';
  problems: readonly P[];
  keyOf(value: string): string;
  column: 'owner_resolutions' | 'location_resolutions';
  parse(json: string | null): R[];
  merge(earlier: readonly R[], next: readonly R[]): R[];
  /** The problem of decision `i` when it links to something that is not there to link to. */
  missingLink(db: Executor, organisationId: string, r: R, i: number): Promise<FieldIssue | null>;
  audit: string;
}

const ownerColumn: NamedColumn<'unknown_employee' | 'ambiguous_employee', OwnerResolution> = {
  field: 'owner',
  problems: ['unknown_employee', 'ambiguous_employee'],
  keyOf: ownerKey,
  column: 'owner_resolutions',
  parse: parseResolutions,
  merge: mergeResolutions,
  missingLink: async (db, organisationId, r, i) =>
    r.action === 'link' && !(await findEmployee(db, organisationId, r.employeeId))
      ? { field: `resolutions.${i}.employeeId`, problem: 'not_found' }
      : null,
  audit: 'import.owners_resolved',
};

const locationColumn: NamedColumn<'unknown_location', LocationResolution> = {
  field: 'location',
  problems: ['unknown_location'],
  keyOf: locationKey,
  column: 'location_resolutions',
  parse: parseLocationResolutions,
  merge: mergeLocationResolutions,
  // Only a location still offered can be linked to: an archived one is as good as missing.
  missingLink: async (db, organisationId, r, i) =>
    r.action === 'link' &&
    (await findLocation(db, organisationId, r.locationId))?.archived_at !== null
      ? { field: `resolutions.${i}.locationId`, problem: 'not_found' }
      : null,
  audit: 'import.locations_resolved',
};

/**
 * The names a column of the file uses that Loyaal does not know (or cannot tell apart), one entry
 * per name with the number of rows naming it, most frequent first, and the decisions taken so far.
 */
async function listUnknownNames<P extends string, R extends { value: string; action: string }>(
  db: Executor,
  actor: ImportActor,
  id: string,
  named: NamedColumn<P, R>,
): Promise<{
  items: { value: string; problem: P; rows: number }[];
  complete: boolean;
  resolutions: R[];
}> {
  const imp = await getImportRow(db, actor.organisationId, id);
  const found = await repo.nameProblems(db, actor.organisationId, id, {
    field: named.field,
    codes: named.problems,
    limit: MAX_OWNER_NAMES + 1,
  });
  // "Jan Smit" and "jan smit" are one name: merged under the spelling that occurs most.
  const byKey = new Map<string, { value: string; problem: P; rows: number }>();
  for (const f of found.slice(0, MAX_OWNER_NAMES)) {
    const key = named.keyOf(f.value);
    const entry = byKey.get(key);
    if (entry) entry.rows += f.rows;
    else {
      const problem = named.problems.find((p) => p === f.code) ?? named.problems[0];
      if (problem !== undefined) byKey.set(key, { value: f.value, problem, rows: f.rows });
    }
  }
  return {
    items: [...byKey.values()].sort((a, b) => b.rows - a.rows),
    complete: found.length <= MAX_OWNER_NAMES,
    resolutions: named.parse(imp[named.column]),
  };
}

/**
 * The owner's decisions for unknown names of a column, then a new validation with them applied
 * (the rows naming them are then valid, unless something else is wrong). What is to be created is
 * created only when the import is committed, so cancelling leaves nothing behind.
 */
async function resolveNames<P extends string, R extends { value: string; action: string }>(
  db: Executor,
  actor: ImportActor,
  id: string,
  input: { resolutions: readonly R[] },
  named: NamedColumn<P, R>,
  now: number,
  locale: Locale,
  options: { queue?: boolean },
): Promise<ImportJson> {
  const imp = await getImportRow(db, actor.organisationId, id);
  const missing: FieldIssue[] = [];
  for (const [i, r] of input.resolutions.entries()) {
    const issue = await named.missingLink(db, actor.organisationId, r, i);
    if (issue) missing.push(issue);
  }
  if (missing.length) throw invalid(missing);
  const resolutions = named.merge(named.parse(imp[named.column]), input.resolutions);
  await startValidation(
    db,
    actor,
    id,
    ['validated'],
    { [named.column]: JSON.stringify(resolutions) },
    now,
    options,
  );
  const count = (action: string) => input.resolutions.filter((r) => r.action === action).length;
  await recordAudit(
    db,
    actor,
    {
      action: named.audit,
      entityType: 'import',
      entityId: id,
      data: { create: count('create'), link: count('link'), empty: count('empty') },
    },
    now,
  );
  return getImport(db, actor, id, locale);
}

/** The account managers the file names that Loyaal does not know (or cannot tell apart). */
export async function listUnknownOwners(db: Executor, actor: ImportActor, id: string) {
  return listUnknownNames(db, actor, id, ownerColumn);
}

/** The locations (`Vestiging`) the file names that the organisation does not have. */
export async function listUnknownLocations(db: Executor, actor: ImportActor, id: string) {
  return listUnknownNames(db, actor, id, locationColumn);
}

/**
 * The owner's decisions for unknown account managers, then a new validation with them applied.
 * Employees are created only when the import is committed, so cancelling leaves none behind.
 */
export async function resolveOwners(
  db: Executor,
  actor: ImportActor,
  id: string,
  input: ResolveOwnersInput,
  now: number,
  locale: Locale,
  options: { queue?: boolean } = {},
): Promise<ImportJson> {
  return resolveNames(db, actor, id, input, ownerColumn, now, locale, options);
}

/**
 * The owner's decisions for unknown locations, then a new validation with them applied. Locations
 * are created (or an archived one of that name restored) only when the import is committed.
 */
export async function resolveLocations(
  db: Executor,
  actor: ImportActor,
  id: string,
  input: ResolveLocationsInput,
  now: number,
  locale: Locale,
  options: { queue?: boolean } = {},
): Promise<ImportJson> {
  return resolveNames(db, actor, id, input, locationColumn, now, locale, options);
}

// ---------------------------------------------------------------------------------------------
// Processing: one pass over the file, shared by validation (no writes) and commit (writes), and by
// every kind of row (contacts, visits): the kind decides what a batch of rows means.

interface Counts {
  processed: number;
  valid: number;
  rejected: number;
  created: number;
  updated: number;
  /** Valid rows whose contact ends up without an email address. */
  withoutEmail: number;
}

interface PassContext extends PassInput {
  /** Lines rejected at validation: the commit skips them. */
  skipLines: ReadonlySet<number>;
  /** Receives each batch's new errors, its newly rejected rows and the running counts. */
  onBatch(
    errors: ImportErrorTable[],
    rejectedRows: ImportRejectedRowTable[],
    counts: Counts,
  ): Promise<void>;
}

function shapeOf(format: 'csv' | 'xlsx', detectedJson: string): FileShape {
  if (format === 'xlsx') return { format: 'xlsx' };
  const detected = parseDetected(detectedJson);
  return {
    format: 'csv',
    encoding: detected.encoding ?? 'utf-8',
    delimiter: detected.delimiter ?? ';',
  };
}

/** The data rows of a stored file, without its header row. */
async function* dataRows(file: string, shape: FileShape): AsyncGenerator<SourceRow> {
  let header = true;
  for await (const row of readRows(file, shape)) {
    if (header) {
      header = false;
      continue;
    }
    yield row;
  }
}

/**
 * Reads the file once, batch by batch, and hands each batch to the kind's pass, which checks the
 * rows and (at commit) writes them. Memory holds one batch of rows plus what the pass keeps to
 * find repeats within the file.
 */
async function processFile(
  file: string,
  shape: FileShape,
  kind: RowKind,
  mapping: Readonly<Record<string, string>>,
  ctx: PassContext,
): Promise<Counts> {
  const counts: Counts = {
    processed: 0,
    valid: 0,
    rejected: 0,
    created: 0,
    updated: 0,
    withoutEmail: 0,
  };
  let pass: KindPass | null = null;
  let batch: SourceRow[] = [];

  const flush = async (): Promise<void> => {
    const { errors, rejectedRows } = await processBatch(batch, pass, ctx, counts);
    batch = [];
    await ctx.onBatch(errors, rejectedRows, counts);
  };

  for await (const row of readRows(file, shape)) {
    if (!pass) {
      pass = await kind.startPass(ctx, mapping, normaliseHeaders(row.values));
      continue;
    }
    batch.push(row);
    if (batch.length >= BATCH_ROWS) await flush();
  }
  if (batch.length || counts.processed === 0) await flush();
  return counts;
}

async function processBatch(
  rows: readonly SourceRow[],
  pass: KindPass | null,
  ctx: PassContext,
  counts: Counts,
): Promise<{ errors: ImportErrorTable[]; rejectedRows: ImportRejectedRowTable[] }> {
  const errors: ImportErrorTable[] = [];
  if (!pass || rows.length === 0) return { errors, rejectedRows: [] };
  const rejectedLines = new Set<number>();
  const forgotten = new Set<number>();
  const reject = (line: number, problem: RowReject) => {
    if (problem.forget === true) forgotten.add(line);
    errors.push({
      id: newId(),
      import_id: ctx.importId,
      organisation_id: ctx.organisationId,
      line,
      field: problem.field,
      code: encodeProblem(problem.code, problem.params),
      value: problem.value ?? null,
    });
    rejectedLines.add(line);
  };
  const taken: SourceRow[] = [];
  for (const row of rows) {
    counts.processed++;
    if (ctx.skipLines.has(row.line)) counts.rejected++;
    else taken.push(row);
  }
  const outcome = await pass.batch(taken, reject);
  counts.rejected += rejectedLines.size;
  counts.valid += outcome.valid;
  counts.created += outcome.created;
  counts.updated += outcome.updated;
  counts.withoutEmail += outcome.withoutEmail;
  const byLine = new Map(taken.map((r) => [r.line, r.values]));
  const rejectedRows: ImportRejectedRowTable[] = [...rejectedLines]
    .sort((a, b) => a - b)
    .map((line) => {
      const cells = forgotten.has(line) ? [] : (byLine.get(line) ?? []);
      return {
        id: newId(),
        import_id: ctx.importId,
        organisation_id: ctx.organisationId,
        line,
        cells: JSON.stringify(cells),
        email: pass.emailOf(cells),
      };
    });
  return { errors, rejectedRows };
}

function cutValue(errors: ImportErrorTable[]): ImportErrorTable[] {
  for (const e of errors)
    if (e.value !== null && e.value.length > 200) e.value = e.value.slice(0, 200);
  return errors;
}

/** What the validation and commit passes need: the database, where uploads live, a clock. */
export interface RunContext {
  db: Db;
  dataDir: string;
  now: () => number;
  /** For the events a commit emits (a visit import announces its visits). */
  deps: Deps;
}

/** How a pass ended; `skipped` when the import was not in the state the pass expects. */
export interface RunResult {
  status: 'validated' | 'completed' | 'failed' | 'skipped';
  counts?: Counts;
}

/**
 * Ends an import in `failed` for good (a file that cannot be read, or the job's last attempt) and
 * deletes its upload, as commit and cancel do: an upload must not outlive its import. The report
 * in `import_errors` stays, to show what was wrong.
 */
async function failImport(
  run: Omit<RunContext, 'deps'>,
  organisationId: string,
  id: string,
  error: AppError,
): Promise<RunResult> {
  const imp = await repo.findImport(run.db.kysely, organisationId, id);
  await repo.updateImport(run.db.kysely, organisationId, id, {
    status: 'failed',
    error: storeError(error),
    updated_at: run.now(),
  });
  if (imp) await removeFile(importFilePath(run.dataDir, id, imp.format));
  return { status: 'failed' };
}

/**
 * Validates a queued import: streams the file, writes the rejected rows to `import_errors` and
 * the counts to the import after every batch (the progress bar), and ends in `validated`. Runs
 * again from scratch when retried. A broken file ends in `failed` with the reason.
 */
export async function runValidation(
  run: RunContext,
  organisationId: string,
  id: string,
): Promise<RunResult> {
  const db = run.db.kysely;
  const imp = await repo.findImport(db, organisationId, id);
  if (!imp || imp.status !== 'validating') return { status: 'skipped' };
  const mapping = parseMapping(imp.mapping) ?? {};
  const kind = rowKind(imp.kind);
  const file = importFilePath(run.dataDir, id, imp.format);
  const shape = shapeOf(imp.format, imp.detected);
  await repo.deleteImportErrors(db, organisationId, id);
  try {
    // A question about the whole file (which decimal separator?) comes before any row is judged.
    let options = parseOptions(imp.options);
    const prepared = kind.prepare
      ? await kind.prepare({ mapping, headers: parseDetected(imp.detected).headers, options }, () =>
          dataRows(file, shape),
        )
      : { options };
    if ('question' in prepared) {
      await repo.updateImport(db, organisationId, id, {
        status: 'validated',
        question: JSON.stringify(prepared.question),
        processed_rows: 0,
        valid_rows: 0,
        rejected_rows: 0,
        without_email_rows: 0,
        updated_at: run.now(),
      });
      return { status: 'validated' };
    }
    options = prepared.options;
    const counts = await processFile(file, shape, kind, mapping, {
      db,
      deps: run.deps,
      organisationId,
      importId: id,
      import: imp,
      defaultLanguage: await organisationLocale(db, organisationId),
      now: run.now(),
      write: false,
      options,
      skipLines: new Set(),
      onBatch: async (errors, rejectedRows, c) => {
        await db.transaction().execute(async (trx) => {
          await repo.insertImportErrors(trx, cutValue(errors));
          await repo.insertRejectedRows(trx, rejectedRows);
          await repo.updateImport(trx, organisationId, id, {
            processed_rows: c.processed,
            valid_rows: c.valid,
            rejected_rows: c.rejected,
            without_email_rows: c.withoutEmail,
            updated_at: run.now(),
          });
        });
      },
    });
    await repo.updateImport(db, organisationId, id, {
      status: 'validated',
      question: null,
      options: JSON.stringify(options),
      total_rows: counts.processed,
      processed_rows: counts.processed,
      valid_rows: counts.valid,
      rejected_rows: counts.rejected,
      without_email_rows: counts.withoutEmail,
      updated_at: run.now(),
    });
    return { status: 'validated', counts };
  } catch (error) {
    if (error instanceof AppError) return failImport(run, organisationId, id, error);
    throw error;
  }
}

/**
 * Writes the valid rows of a validated import in ONE transaction: a failure anywhere leaves no
 * contact written, and the retried job starts over. Rows rejected at validation are skipped, so
 * exactly the rows the user saw as valid are imported; a row that became invalid since (its email
 * was taken meanwhile) is rejected now instead of failing the import. `onProgress` lets the job
 * show progress from outside the transaction where the database allows it.
 */
export async function runCommit(
  run: RunContext,
  organisationId: string,
  id: string,
  options: { onProgress?: (counts: Counts) => Promise<void> } = {},
): Promise<RunResult> {
  const db = run.db.kysely;
  const imp = await repo.findImport(db, organisationId, id);
  if (!imp || imp.status !== 'importing') return { status: 'skipped' };
  const file = importFilePath(run.dataDir, id, imp.format);
  const mapping = parseMapping(imp.mapping) ?? {};
  const skipLines = new Set(await repo.rejectedLines(db, organisationId, id));
  const kind = rowKind(imp.kind);
  const defaultLanguage = await organisationLocale(db, organisationId);
  const now = run.now();
  let counts: Counts;
  try {
    counts = await db.transaction().execute(async (trx) => {
      const result = await processFile(file, shapeOf(imp.format, imp.detected), kind, mapping, {
        db: trx,
        deps: run.deps,
        organisationId,
        importId: id,
        import: imp,
        defaultLanguage,
        now,
        write: true,
        options: parseOptions(imp.options),
        skipLines,
        onBatch: async (errors, rejectedRows, c) => {
          await repo.insertImportErrors(trx, cutValue(errors));
          await repo.insertRejectedRows(trx, rejectedRows);
          await options.onProgress?.(c);
        },
      });
      await repo.updateImport(trx, organisationId, id, {
        status: 'completed',
        processed_rows: result.processed,
        valid_rows: result.valid,
        rejected_rows: result.rejected,
        created_rows: result.created,
        updated_rows: result.updated,
        without_email_rows: result.withoutEmail,
        error: null,
        updated_at: run.now(),
      });
      return result;
    });
  } catch (error) {
    if (error instanceof AppError) return failImport(run, organisationId, id, error);
    throw error;
  }
  await removeFile(file);
  return { status: 'completed', counts };
}

/** Marks an import failed after its last attempt, with an error the client sees as `internal`. */
export async function markFailed(
  run: Omit<RunContext, 'deps'>,
  organisationId: string,
  id: string,
): Promise<void> {
  await failImport(run, organisationId, id, new AppError('internal'));
}
