import { describe } from '../../platform/http/operation.ts';
/**
 * Contact import from CSV and Excel (.xlsx): upload → mapping → validation → commit.
 * Permission `contacts:import` (owner, admin, manager); every import belongs to the caller's
 * organisation, and another organisation's import id answers 404.
 *
 * Two kinds of rows go through the same wizard (row-kind.ts): customers (`contacts`, the default)
 * and their visits and purchases (`?kind=visits` on the upload; visit-rows.ts). Everything
 * below holds for both; the mapping targets and the row problems differ per kind.
 *
 * POST /api/v1/imports[?kind=visits]          multipart/form-data, one file part (any name), ≤ 50 MB
 *   201 → Import (status `uploaded`): the file is read once, so a broken file is refused here:
 *   400 { error: { code: 'import_invalid_file', message, fields: [{ field: 'file', problem:
 *        'empty_file' | 'no_header' | 'not_a_spreadsheet' | 'xls_not_supported' | 'unreadable_xlsx'
 *        | 'unclosed_quote' | 'unreadable_row' | 'too_many_columns' | 'too_many_columns_in_row'
 *        | 'xlsx_too_big' | 'xlsx_too_many_strings' | 'xlsx_cell_too_long', message }] } }
 *   An .xlsx is read streamed within limits (xlsx-reader.ts, XLSX_LIMITS): at most 256 MB of
 *   unpacked XML, 2,000,000 shared strings of 32 M characters together, values in the first 200
 *   columns. A file past them is refused and deleted, however small it is packed.
 *   413 payload_too_large, 415 unsupported_media_type (not multipart), 400 validation_failed (no file)
 *
 * Import = {
 *   id, filename: 'klanten.csv', format: 'csv' | 'xlsx',
 *   status: 'uploaded' | 'validating' | 'validated' | 'importing' | 'completed' | 'failed' | 'cancelled',
 *   detected: {
 *     encoding: 'utf-8' | 'windows-1252' | 'utf-16le' | 'utf-16be' | null,  (null for xlsx)
 *     delimiter: ';' | ',' | '\t' | null,
 *     headers: ['Naam', 'E-mailadres', 'Taal', 'Kenteken'],
 *     suggestedMapping: { Naam: 'name', 'E-mailadres': 'email', Taal: 'language',
 *                         Kenteken: 'attributes.Kenteken' },
 *     preview: [{ line: 2, values: ['Renée Çelik-Smit', 'renee@example.nl', 'NL', 'AB-12-CD'] }]  (≤ 10)
 *   },
 *   mapping: null | { <header>: <target> },
 *   progress: { total, processed, valid, rejected, created, updated, withoutEmail },   (row counts;
 *             withoutEmail: valid rows whose contact has no email address — kept, not invitable)
 *   ownerResolutions: [{ value: 'Jan Smit', action: 'create' | 'link' | 'empty', employeeId? }],
 *   locationResolutions: [{ value: 'Sneek', action: 'create' | 'link' | 'empty', locationId? }],
 *   error: null | { code, message, fields? },   (why a `failed` import stopped)
 *   createdAt, updatedAt   (ISO 8601)
 * }
 * Mapping targets: name, firstName, infix (tussenvoegsel), lastName, email, phone, language,
 * owner (employee by email or name), account (by name; created when new), segment, location
 * (vestiging, by name: one of the organisation's locations that is not archived), externalId,
 * consent (ja/yes/1/x → granted), `attributes.<key>` (≤ 64 chars, ≤ 50 columns), ignore.
 * GET /api/v1/imports/fields lists them with labels in the caller's language.
 *
 * Visit targets: customerNumber, email, phone (the customer, matched in that order; at least one),
 * visitedAt (28-11-2026, 3-2-26, 2026-11-28; required), amount (12,50 / 1.234,56 / € 1.234,56, or
 * 12.50 in an English file), kind, location, status (afgerond/geannuleerd/retour …), externalId
 * (the visit's own number: importing it again updates it), ignore.
 *
 * POST /api/v1/imports/:id/validate   { mapping: { Naam: 'name', 'E-mailadres': 'email', … },
 *                                       options?: { decimal: 'comma' | 'point' } }
 *   A visits file whose amounts read two ways (only `1.234`, or `12,50` next to `12.50`) stops in
 *   `validated` with `question: { kind: 'decimal', status: 'ambiguous' | 'conflict', examples }`
 *   and no row judged; validate again with `options.decimal` to answer it (cells that disagree
 *   with the answer are rejected: amount_convention). Commit answers 409 import_question_open
 *   while a question is open.
 *   200 → Import (status `validating`); a job validates the file and updates `progress` every
 *   500 rows, then status `validated` (or `failed` with `error`). Poll GET /api/v1/imports/:id.
 *   Allowed from `uploaded` and `validated` (another mapping), else 409 import_not_ready; a `failed` import's upload is deleted, so it needs a new upload.
 *   400 validation_failed with fields `mapping.<header>`: unknown_field | mapped_twice,
 *   `mapping`: missing_identity (no email and no externalId column) | too_big (> 50 attributes).
 *
 * GET /api/v1/imports/:id/errors?limit=100&cursor=…   rejected rows in file order
 *   200 → { items: [{ line: 7, field: 'email', column: 'E-mailadres', code: 'invalid_email',
 *                     value: 'jan@', message: 'is geen geldig e-mailadres' }], nextCursor }
 *   codes: invalid_email, invalid_phone, invalid_language, unknown_employee, ambiguous_employee,
 *   unknown_location,
 *   invalid_value (consent), too_long, too_big, missing_identity, duplicate_in_file, taken,
 *   erased_not_imported (the customer number or email of a customer erased on request; `value`
 *   is null, and the rejected-rows file keeps the reason, not the row).
 *
 * GET /api/v1/imports/:id/owners   account managers the file names that match no employee
 *   200 → { items: [{ value: 'Jan Smit', problem: 'unknown_employee' | 'ambiguous_employee',
 *                     rows: 3 }], complete: true, resolutions: [...] }   (≤ 500 names, most rows first;
 *   "Jan Smit" and "jan smit" are one name)
 * POST /api/v1/imports/:id/owners   { resolutions: [{ value: 'Jan Smit', action: 'create' },
 *                                    { value: 'Els', action: 'link', employeeId }, { value, action: 'empty' }] }
 *   200 → Import (status `validating`): the decisions are stored and the file is checked again with
 *   them. Employees to create are created by the commit, in its transaction. Only from `validated`
 *   (409 import_not_ready); 400 validation_failed `resolutions.<i>.employeeId`: not_found.
 *
 * GET /api/v1/imports/:id/locations   locations the file names that the organisation does not have
 *   (or only as archived): { items: [{ value: 'Sneek', problem: 'unknown_location', rows: 3 }],
 *   complete, resolutions }, like /owners.
 * POST /api/v1/imports/:id/locations   { resolutions: [{ value: 'Sneek', action: 'create' },
 *                                       { value, action: 'link', locationId }, { value, action: 'empty' }] }
 *   200 → Import (status `validating`), like /owners. Locations to create are created by the
 *   commit (an archived location of that name is restored); `link` needs a location that is not
 *   archived (400 validation_failed `resolutions.<i>.locationId`: not_found).
 *
 * GET /api/v1/imports/:id/rejected   the rejected rows as a file like the upload: an .xlsx for an
 *   .xlsx, a CSV in the upload's encoding and delimiter (a BOM for UTF-8), each row as it was plus a
 *   last column "Reden afkeuring" / "Reason rejected" ("E-mailadres: is geen geldig e-mailadres"),
 *   named `<file>-afgekeurd.<ext>`. Still there after the commit. The next import ignores that column.
 *
 * POST /api/v1/imports/:id/commit   { mode: 'valid_only' | 'nothing' }
 *   200 → Import. `nothing`: status `cancelled`, nothing written, file deleted. `valid_only`:
 *   status `importing`; a job writes all valid rows in one transaction (all or nothing), then
 *   `completed` with progress.created/updated (rows that conflict since validation count as
 *   rejected). Without `mode`, a file with rejected rows answers 409 import_has_errors.
 *   409 import_not_ready unless `validated` (`nothing` also from `uploaded` and `failed`).
 *
 * GET /api/v1/imports?limit&cursor   → { items: Import[], nextCursor }   newest first
 * GET /api/v1/imports/:id            → Import
 */
import fs from 'node:fs';
import { pipeline } from 'node:stream/promises';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { requestLocale } from '../../platform/http/errors.ts';
import { AppError, invalid } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { t, type MessageKey } from '../../i18n/messages.ts';
import { authorize } from '../auth/policies.ts';
import { pageSchema } from '../../shared/api-schemas.ts';
import { rowKind } from './row-kinds.ts';
import {
  commitImportSchema,
  importErrorJsonSchema,
  importFieldsQuery,
  importFieldsSchema,
  importJsonSchema,
  listImportErrorsSchema,
  listImportsSchema,
  resolveLocationsSchema,
  resolveOwnersSchema,
  unknownLocationsSchema,
  unknownOwnersSchema,
  uploadImportQuery,
  validateImportSchema,
} from './imports.schemas.ts';
import * as service from './imports.service.ts';
import { uploadBytesInUse } from './upload-housekeeping.ts';

const MB = 1024 * 1024;

/** Upload limit: a 100,000-row export with many columns is about 20 MB. */
export const MAX_UPLOAD_BYTES = 50 * 1024 * 1024;

/**
 * What went wrong while reading a multipart body: our own and Fastify's errors (too large, not
 * multipart) and system errors pass as they are; anything else is the body's fault (no boundary, a
 * boundary over 256 characters, a body cut off): `invalid_multipart`, a 400.
 */
function multipartError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    if ('syscall' in error || (typeof code === 'string' && code.startsWith('FST_'))) return error;
  }
  return new AppError('invalid_multipart', { cause: error });
}

/** The import endpoints, with multipart parsing registered for this plugin only. */
export async function importRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  const dataDir = deps.config.DATA_DIR;

  // Scoped to this plugin: only the import upload accepts multipart bodies.
  await app.register(multipart, {
    limits: { fileSize: MAX_UPLOAD_BYTES, files: 1, fields: 10, parts: 11, headerPairs: 100 },
  });

  app.post(
    '/api/v1/imports',
    describe({
      tag: 'imports',
      summary:
        'Upload a CSV or Excel file (multipart field `file`); returns detected columns, suggested mapping and a preview',
      consumes: 'multipart/form-data',
      query: uploadImportQuery,
      response: importJsonSchema,
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { kind } = parseInput(uploadImportQuery, request.query ?? {});
      // Each organisation keeps at most IMPORT_QUOTA_MB of unfinished uploads on this disk.
      const quota = deps.config.IMPORT_QUOTA_MB * MB;
      const used = await uploadBytesInUse(db, dataDir, actor.organisationId);
      const quotaExceeded = () =>
        new AppError('upload_quota_exceeded', {
          params: { used: Math.ceil(used / MB), max: deps.config.IMPORT_QUOTA_MB },
        });
      if (used >= quota) throw quotaExceeded();
      const limit = Math.min(MAX_UPLOAD_BYTES, quota - used);
      const file = await request.file({ limits: { fileSize: limit } }).catch((error: unknown) => {
        throw multipartError(error);
      });
      if (!file) throw invalid([{ field: 'file', problem: 'required' }]);
      const id = newId();
      const temp = await service.uploadTempPath(dataDir, id);
      try {
        // Streamed to disk as it arrives: the file is never held in memory.
        await pipeline(file.file, fs.createWriteStream(temp));
        // Busboy stops at the limit and ends the stream quietly; the flag says it was cut off.
        if (file.file.truncated) {
          throw limit < MAX_UPLOAD_BYTES ? quotaExceeded() : new AppError('payload_too_large');
        }
      } catch (error) {
        await service.removeFile(temp);
        throw multipartError(error);
      }
      const inspection = await service.inspectUpload(dataDir, id, temp);
      const locale = requestLocale(request);
      try {
        const created = await db
          .transaction()
          .execute((trx) =>
            service.createImport(
              trx,
              actor,
              { id, filename: service.cleanFilename(file.filename), inspection, kind },
              deps.now(),
              locale,
            ),
          );
        return await reply.status(201).send(created);
      } catch (error) {
        await service.removeFile(service.importFilePath(dataDir, id, inspection.shape.format));
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/imports',
    describe({
      tag: 'imports',
      summary: 'Imports, newest first',
      query: listImportsSchema,
      response: pageSchema(importJsonSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const input = parseInput(listImportsSchema, request.query);
      return service.listImports(db, actor, input, requestLocale(request));
    },
  );

  app.get(
    '/api/v1/imports/fields',
    describe({
      tag: 'imports',
      summary: 'Fields a column can be mapped to, for contacts or (`?kind=visits`) visits',
      query: importFieldsQuery,
      response: importFieldsSchema,
    }),
    async (request) => {
      authorize(request.actor, 'contacts:import');
      const locale = requestLocale(request);
      const { kind } = parseInput(importFieldsQuery, request.query ?? {});
      const rows = rowKind(kind);
      return {
        items: [...rows.fields, ...(rows.attributes ? ['attributes'] : []), 'ignore'].map(
          (field) => ({
            field,
            label:
              field === 'attributes' || field === 'ignore'
                ? t(locale, `import.field.${field}` as MessageKey)
                : rows.label(locale, field),
          }),
        ),
      };
    },
  );

  app.get(
    '/api/v1/imports/:id',
    describe({
      tag: 'imports',
      summary: 'An import with its status and progress counts',
      response: importJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      return service.getImport(db, actor, id, requestLocale(request));
    },
  );

  app.get(
    '/api/v1/imports/:id/errors',
    describe({
      tag: 'imports',
      summary: 'Rejected rows with line number, column and reason',
      query: listImportErrorsSchema,
      response: pageSchema(importErrorJsonSchema),
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(listImportErrorsSchema, request.query);
      return service.listImportErrors(db, actor, id, input, requestLocale(request));
    },
  );

  app.get(
    '/api/v1/imports/:id/owners',
    describe({
      tag: 'imports',
      summary:
        'Account managers the file names that match no employee (or several), with their row counts and the decisions taken',
      response: unknownOwnersSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      return service.listUnknownOwners(db, actor, id);
    },
  );

  app.post(
    '/api/v1/imports/:id/owners',
    describe({
      tag: 'imports',
      summary:
        'Decide per unknown account manager: create as employee, link to an employee, or leave empty; then check again',
      status: 200,
      body: resolveOwnersSchema,
      response: importJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(resolveOwnersSchema, request.body);
      const locale = requestLocale(request);
      return db
        .transaction()
        .execute((trx) => service.resolveOwners(trx, actor, id, input, deps.now(), locale));
    },
  );

  app.get(
    '/api/v1/imports/:id/locations',
    describe({
      tag: 'imports',
      summary:
        'Locations (Vestiging) the file names that the organisation does not have, with their row counts and the decisions taken',
      response: unknownLocationsSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      return service.listUnknownLocations(db, actor, id);
    },
  );

  app.post(
    '/api/v1/imports/:id/locations',
    describe({
      tag: 'imports',
      summary:
        'Decide per unknown location: create it, link to a location, or leave empty; then check again',
      status: 200,
      body: resolveLocationsSchema,
      response: importJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      const input = parseInput(resolveLocationsSchema, request.body);
      const locale = requestLocale(request);
      return db
        .transaction()
        .execute((trx) => service.resolveLocations(trx, actor, id, input, deps.now(), locale));
    },
  );

  app.get(
    '/api/v1/imports/:id/rejected',
    describe({
      tag: 'imports',
      summary:
        'The rejected rows as a file in the upload’s format and encoding, with a reason column',
      produces: 'text/csv',
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      const file = await service.rejectedRowsFile(db, actor, id, requestLocale(request));
      const ascii = file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_');
      return reply
        .header('content-type', file.contentType)
        .header(
          'content-disposition',
          `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
        )
        .header('cache-control', 'no-store')
        .send(file.body);
    },
  );

  app.post(
    '/api/v1/imports/:id/validate',
    describe({
      tag: 'imports',
      summary: 'Check every row with the chosen column mapping (background job)',
      status: 200,
      body: validateImportSchema,
      response: importJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      const { mapping, options } = parseInput(validateImportSchema, request.body);
      const locale = requestLocale(request);
      return db.transaction().execute((trx) =>
        service.requestValidation(trx, actor, id, mapping, deps.now(), locale, {
          ...(options ? { answers: options } : {}),
        }),
      );
    },
  );

  app.post(
    '/api/v1/imports/:id/commit',
    describe({
      tag: 'imports',
      summary: 'Import the valid rows (all in one transaction), or nothing',
      status: 200,
      body: commitImportSchema,
      response: importJsonSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'contacts:import');
      const { id } = parseInput(idParams, request.params);
      const { mode } = parseInput(commitImportSchema, request.body ?? {});
      const locale = requestLocale(request);
      const result = await db
        .transaction()
        .execute((trx) => service.requestCommit(trx, actor, id, mode, deps.now(), locale));
      if (result.cancelled) {
        await service.removeFile(service.importFilePath(dataDir, id, result.import.format));
      }
      return result.import;
    },
  );
}
