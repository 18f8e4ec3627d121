import type { z } from 'zod';
import type { importErrorJsonSchema, importJsonSchema } from './imports.schemas.ts';
import type { Locale } from '../../db/schema.ts';
import { hasMessage, t } from '../../i18n/messages.ts';
import { errorBody } from '../../platform/http/errors.ts';
import { AppError, type ErrorCode, type FieldIssue } from '../../shared/errors.ts';
import type { Delimiter } from './detect-delimiter.ts';
import type { TextEncoding } from './detect-encoding.ts';
import type { ColumnMapping } from './header-mapping.ts';
import type { ImportErrorRow, ImportRow } from './imports.repository.ts';
import type { SourceRow } from './csv-parser.ts';
import { iso } from '../../shared/time.ts';
import { parseLocationResolutions } from './location-resolutions.ts';
import { parseResolutions } from './owner-resolutions.ts';
import { parseOptions, parseQuestion } from './row-kind.ts';

/** The `detected` column: what the upload learnt about the file (JSON text). */
export interface Detected {
  encoding: TextEncoding | null;
  delimiter: Delimiter | null;
  headerLine: number;
  headers: string[];
  suggestedMapping: ColumnMapping;
  preview: SourceRow[];
}

/** Reads the `detected` column defensively: a damaged value shows as an empty file, not a 500. */
export function parseDetected(json: string): Detected {
  const fallback: Detected = {
    encoding: null,
    delimiter: null,
    headerLine: 1,
    headers: [],
    suggestedMapping: {},
    preview: [],
  };
  try {
    const v = JSON.parse(json) as Partial<Detected> | null;
    return v && typeof v === 'object' ? { ...fallback, ...v } : fallback;
  } catch {
    return fallback;
  }
}

/** Reads the stored mapping; null before validation was requested. */
export function parseMapping(json: string | null): ColumnMapping | null {
  if (json === null) return null;
  try {
    const v = JSON.parse(json) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as ColumnMapping) : null;
  } catch {
    return null;
  }
}

/** The `error` column: the AppError that stopped the import, as JSON text. */
export interface StoredError {
  code: ErrorCode;
  issues?: FieldIssue[];
}

/** Keeps the code and issues of the error that stopped an import, to translate when shown. */
export function storeError(error: AppError): string {
  return JSON.stringify({ code: error.code, issues: error.issues } satisfies StoredError);
}

function presentError(json: string | null, locale: Locale) {
  if (json === null) return null;
  let stored: StoredError = { code: 'internal' };
  try {
    const v = JSON.parse(json) as StoredError;
    if (v && typeof v.code === 'string') stored = v;
  } catch {
    // An unexpected failure is stored as plain text for the log; the client sees `internal`.
  }
  const error = new AppError(stored.code, { issues: stored.issues ?? [] });
  return errorBody(error, locale, 'imports').error;
}

/** The one JSON shape of an import, for the API and the admin app (see imports.routes.ts). */
export function presentImport(row: ImportRow, locale: Locale): ImportJson {
  const detected = parseDetected(row.detected);
  return {
    id: row.id,
    /** What the rows are: customers, or their visits and purchases. */
    kind: row.kind,
    filename: row.filename,
    format: row.format,
    status: row.status,
    detected: {
      encoding: detected.encoding,
      delimiter: detected.delimiter,
      headers: detected.headers,
      suggestedMapping: detected.suggestedMapping,
      preview: detected.preview,
    },
    mapping: parseMapping(row.mapping),
    progress: {
      total: row.total_rows,
      processed: row.processed_rows,
      valid: row.valid_rows,
      rejected: row.rejected_rows,
      created: row.created_rows,
      updated: row.updated_rows,
      /** Valid rows without an email address: imported, but not invitable by email. */
      withoutEmail: row.without_email_rows,
    },
    ownerResolutions: parseResolutions(row.owner_resolutions),
    locationResolutions: parseLocationResolutions(row.location_resolutions),
    /** Answers about the file, given or settled by the file itself (`decimal`). */
    options: parseOptions(row.options),
    /** A question validation stopped at, until answered by validating with `options`. */
    question: parseQuestion(row.question),
    error: presentError(row.error, locale),
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}
/** Typed by the schema the routes describe their answers with (imports.schemas.ts). */
export type ImportJson = z.output<typeof importJsonSchema>;

/**
 * Problem codes are stored with their message parameters in one column, as `code` or
 * `code?line=12&max=200`, because `import_errors` has no column for parameters.
 */
export function encodeProblem(code: string, params?: Record<string, string | number>): string {
  if (!params || Object.keys(params).length === 0) return code;
  const query = new URLSearchParams(
    Object.entries(params).map(([k, v]) => [k, String(v)] as [string, string]),
  );
  return `${code}?${query.toString()}`;
}

export function decodeProblem(stored: string): {
  code: string;
  params: Record<string, string | number>;
} {
  const at = stored.indexOf('?');
  if (at === -1) return { code: stored, params: {} };
  const params: Record<string, string | number> = {};
  for (const [k, v] of new URLSearchParams(stored.slice(at + 1))) {
    params[k] = /^-?\d+$/.test(v) ? Number(v) : v;
  }
  return { code: stored.slice(0, at), params };
}

/**
 * One rejected cell: the line in the file, our field and the user's column header, the stable
 * problem code and the message in the reader's language.
 */
export function presentImportError(
  row: ImportErrorRow,
  columns: ReadonlyMap<string, string>,
  locale: Locale,
): ImportErrorJson {
  const { code, params } = decodeProblem(row.code);
  const key = `problem.${code}`;
  return {
    line: row.line,
    field: row.field,
    column: row.field === null ? null : (columns.get(row.field) ?? null),
    code,
    value: row.value,
    message: hasMessage(key) ? t(locale, key, params) : code,
  };
}
export type ImportErrorJson = z.output<typeof importErrorJsonSchema>;

/** Field → the header the user mapped to it (for name parts: the first of them). */
export function columnsByField(mapping: ColumnMapping | null): Map<string, string> {
  const columns = new Map<string, string>();
  for (const [header, target] of Object.entries(mapping ?? {})) {
    if (target === 'ignore') continue;
    const part = target === 'firstName' || target === 'infix' || target === 'lastName';
    const field = part ? 'name' : target;
    // A full-name column names the `name` field; otherwise its first part does.
    if (target === 'name' || !columns.has(field)) columns.set(field, header);
  }
  return columns;
}
