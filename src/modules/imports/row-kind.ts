import type { Executor } from '../../db/database.ts';
import type { Deps } from '../../platform/deps.ts';
import type { ImportKind, Locale } from '../../db/schema.ts';
import type { SourceRow } from './csv-parser.ts';
import type { MappingIssue } from './header-mapping.ts';
import type { ImportRow } from './imports.repository.ts';

/**
 * One kind of row the import wizard reads (contacts, visits, …). The wizard's pipeline — upload,
 * detection, mapping, streamed batches, the rejected rows with line and reason, progress, the
 * all-or-nothing commit — is shared; a kind says only what its columns mean and how a batch of its
 * rows is checked and written. A kind is added by writing one of these, not by copying the
 * contacts pipeline.
 */
export interface RowKind {
  name: ImportKind;
  /** Targets a column can be mapped to, besides `ignore` (and `attributes.<key>` if allowed). */
  fields: readonly string[];
  /** Whether any other column may be kept as a free attribute (`attributes.<key>`). */
  attributes: boolean;
  /** A field's label in the reader's language, for reasons and the field list. */
  label(locale: Locale, field: string): string;
  /** The mapping suggested for a file's headers. */
  suggestMapping(headers: readonly string[]): Record<string, string>;
  /** Problems with a user's mapping (unknown targets included), before any row is read. */
  checkMapping(
    mapping: Readonly<Record<string, string>>,
    headers: readonly string[],
  ): MappingIssue[];
  /**
   * Looks at the whole file before any row is judged: either a question that must be answered
   * first (the decimal separator of amounts that read two ways), or the options the file settles
   * by itself (added to the answers already given). `rows` reads the data rows again.
   */
  prepare?(
    input: {
      mapping: Readonly<Record<string, string>>;
      headers: readonly string[];
      options: ImportOptions;
    },
    rows: () => AsyncIterable<SourceRow>,
  ): Promise<{ question: ImportQuestion } | { options: ImportOptions }>;
  /** Starts one pass over the file (validation, or the commit in its transaction). */
  startPass(
    ctx: PassInput,
    mapping: Readonly<Record<string, string>>,
    headers: readonly string[],
  ): Promise<KindPass>;
}

/** Answers a person gave about the file (stored with the import). */
export interface ImportOptions {
  /** `comma`: 1.234,56 (Dutch); `point`: 1,234.56. */
  decimal?: 'comma' | 'point';
}

/** A question the validation stopped at, shown in the wizard until answered. */
export interface ImportQuestion {
  kind: 'decimal';
  /** `ambiguous`: only cells like `1.234`; `conflict`: cells point both ways. */
  status: 'ambiguous' | 'conflict';
  examples: { comma: string[]; point: string[]; either: string[] };
}

export interface PassInput {
  /** The transaction of the commit; the database handle for validation. */
  db: Executor;
  /** For the events a commit emits in its transaction (`visit.recorded`, …). */
  deps: Deps;
  organisationId: string;
  importId: string;
  import: ImportRow;
  defaultLanguage: Locale;
  now: number;
  /** Commit: write. Validation: only decide. */
  write: boolean;
  options: ImportOptions;
}

/** A problem with one row: a stable code (catalogue key `problem.<code>`) for a field. */
export interface RowReject {
  field: string | null;
  code: string;
  params?: Record<string, string | number>;
  value?: string | null;
  /**
   * The row carries a person's identifiers that must not be stored again (a customer erased on
   * request): the report keeps its line and reason, not its cells.
   */
  forget?: boolean;
}

export interface BatchOutcome {
  valid: number;
  created: number;
  updated: number;
  withoutEmail: number;
}

export interface KindPass {
  /**
   * Checks (and at commit writes) one batch of rows in file order; calls `reject` for every
   * problem of a row that is not taken. Rows skipped at validation never reach it.
   */
  batch(
    rows: readonly SourceRow[],
    reject: (line: number, problem: RowReject) => void,
  ): Promise<BatchOutcome>;
  /** The row's email cell, lower-cased, kept with a rejected row so erasure finds it. */
  emailOf(values: readonly string[]): string | null;
}

export function parseOptions(json: string | null): ImportOptions {
  if (!json) return {};
  try {
    const v = JSON.parse(json) as ImportOptions | null;
    if (!v || typeof v !== 'object') return {};
    return v.decimal === 'comma' || v.decimal === 'point' ? { decimal: v.decimal } : {};
  } catch {
    return {};
  }
}

export function parseQuestion(json: string | null): ImportQuestion | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as ImportQuestion | null;
    return v && v.kind === 'decimal' ? v : null;
  } catch {
    return null;
  }
}
