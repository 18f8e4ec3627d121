import { localDateOf, zonedInstant } from '../../domain/calendar/index.ts';
import {
  conventionTally,
  parseAmount,
  type DecimalConvention,
} from '../../domain/visits/parse-amount.ts';
import { parseVisitDate } from '../../domain/visits/parse-visit-date.ts';
import {
  MAX_KIND_LENGTH,
  amountForStatus,
  parseVisitStatus,
} from '../../domain/visits/visit-record.ts';
import { hasMessage, t, type MessageKey } from '../../i18n/messages.ts';
import { normaliseHeader, type MappingIssue } from './header-mapping.ts';
import type { SourceRow } from './read-rows.ts';
import type { BatchOutcome, KindPass, PassInput, RowKind, RowReject } from './row-kind.ts';
import {
  VISIT_IMPORT_FIELDS,
  type VisitImportField,
} from '../../domain/visits/visit-import-fields.ts';
import { lockVisitWrites } from '../visits/visits.repository.ts';
import { matchCustomers, recordVisits, type NewVisit } from '../visits/visits.service.ts';

/** Header synonyms in their normalised form (see `normaliseHeader`), Dutch and English. */
const SYNONYMS: Record<VisitImportField, readonly string[]> = {
  customerNumber: [
    'klantnummer',
    'klantnr',
    'relatienummer',
    'relatienr',
    'debiteurnummer',
    'debiteurnr',
    'debnr',
    'klantid',
    'customernumber',
    'customerid',
    'customerno',
  ],
  email: ['emailadres', 'email', 'mail', 'emailaddress', 'mailadres', 'eemail'],
  phone: [
    'telefoon',
    'telefoonnummer',
    'mobiel',
    'mobielnummer',
    'phone',
    'mobile',
    'tel',
    'telnr',
  ],
  visitedAt: [
    'datum',
    'bezoekdatum',
    'datumbezoek',
    'factuurdatum',
    'orderdatum',
    'werkorderdatum',
    'afspraakdatum',
    'aankoopdatum',
    'date',
    'visitdate',
    'invoicedate',
    'orderdate',
    'purchasedate',
  ],
  amount: [
    'bedrag',
    'totaal',
    'totaalbedrag',
    'factuurbedrag',
    'bedraginclbtw',
    'bedragincl',
    'omzet',
    'prijs',
    'amount',
    'total',
    'revenue',
    'price',
  ],
  kind: ['soort', 'type', 'soortbezoek', 'soortwerk', 'werksoort', 'dienst', 'kind', 'service'],
  location: [
    'vestiging',
    'locatie',
    'filiaal',
    'winkel',
    'werkplaats',
    'location',
    'branch',
    'store',
  ],
  status: ['status', 'state'],
  externalId: [
    'werkordernummer',
    'werkorder',
    'factuurnummer',
    'ordernummer',
    'bonnummer',
    'bezoeknummer',
    'transactienummer',
    'referentie',
    'invoicenumber',
    'ordernumber',
    'visitid',
    'reference',
  ],
};

const LOOKUP = new Map<string, VisitImportField>(
  (Object.entries(SYNONYMS) as [VisitImportField, readonly string[]][]).flatMap(([field, names]) =>
    names.map((n) => [n, field] as const),
  ),
);

const isField = (v: string): v is VisitImportField =>
  (VISIT_IMPORT_FIELDS as readonly string[]).includes(v);

const amountHeader = (mapping: Readonly<Record<string, string>>): string | null =>
  Object.entries(mapping).find(([, target]) => target === 'amount')?.[0] ?? null;

/**
 * Visits and purchases as an import kind: each row is one visit of a customer known by customer
 * number, email or phone. Amounts are read under the file's decimal convention (asked when the
 * file does not settle it), dates day-first or ISO; a negative amount only on a refund; a row for
 * an unknown or erased customer is rejected with that reason. The commit writes through
 * `recordVisits`, so an imported visit is updated by its number and triggers an invitation
 * exactly as one posted to the API.
 */
export const visitRows: RowKind = {
  name: 'visits',
  fields: VISIT_IMPORT_FIELDS,
  attributes: false,
  label: (locale, field) =>
    hasMessage(`import.visitField.${field}`)
      ? t(locale, `import.visitField.${field}` as MessageKey)
      : field,
  suggestMapping(headers) {
    const mapping: Record<string, string> = {};
    const used = new Set<string>();
    for (const header of headers) {
      const field = LOOKUP.get(normaliseHeader(header));
      if (field && !used.has(field)) {
        used.add(field);
        mapping[header] = field;
      } else mapping[header] = 'ignore';
    }
    return mapping;
  },
  checkMapping(mapping, headers) {
    const issues: MappingIssue[] = [];
    const known = new Set(headers);
    const used = new Set<string>();
    for (const [header, target] of Object.entries(mapping)) {
      if (!known.has(header)) {
        issues.push({ field: `mapping.${header}`, problem: 'unknown_field' });
      } else if (target !== 'ignore' && !isField(target)) {
        issues.push({ field: `mapping.${header}`, problem: 'invalid_value' });
      } else if (target !== 'ignore' && used.has(target)) {
        issues.push({ field: `mapping.${header}`, problem: 'mapped_twice' });
      } else used.add(target);
    }
    if (!used.has('customerNumber') && !used.has('email') && !used.has('phone')) {
      issues.push({ field: 'mapping', problem: 'customer_required' });
    }
    if (!used.has('visitedAt')) issues.push({ field: 'mapping', problem: 'missing_date' });
    return issues;
  },
  async prepare({ mapping, headers, options }, rows) {
    const header = amountHeader(mapping);
    if (options.decimal || header === null) return { options };
    const index = headers.indexOf(header);
    const tally = conventionTally();
    for await (const row of rows()) tally.add(row.values[index] ?? '');
    const verdict = tally.verdict();
    if (verdict.status === 'clear') {
      return {
        options: verdict.convention ? { ...options, decimal: verdict.convention } : options,
      };
    }
    return {
      question: {
        kind: 'decimal',
        status: verdict.status,
        examples: {
          comma: [...verdict.examples.comma],
          point: [...verdict.examples.point],
          either: [...verdict.examples.either],
        },
      },
    };
  },
  startPass(ctx, mapping, headers) {
    const columns = new Map<VisitImportField, number>();
    headers.forEach((header, index) => {
      const target = Object.hasOwn(mapping, header) ? mapping[header] : undefined;
      if (target && isField(target)) columns.set(target, index);
    });
    return Promise.resolve(new VisitPass(ctx, columns, ctx.options.decimal ?? null));
  },
};

const MAX_TEXT = { kind: MAX_KIND_LENGTH, location: 100, externalId: 100, customerNumber: 100 };
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ()./-]{5,38}$/;

class VisitPass implements KindPass {
  private readonly ctx: PassInput;
  private readonly columns: ReadonlyMap<VisitImportField, number>;
  private readonly convention: DecimalConvention | null;
  /** Visit number → first line, for repeats within the file. */
  private readonly seen = new Map<string, number>();

  constructor(
    ctx: PassInput,
    columns: ReadonlyMap<VisitImportField, number>,
    convention: DecimalConvention | null,
  ) {
    this.ctx = ctx;
    this.columns = columns;
    this.convention = convention;
  }

  private cell(values: readonly string[], field: VisitImportField): string {
    const index = this.columns.get(field);
    return index === undefined ? '' : (values[index] ?? '').trim();
  }

  emailOf(values: readonly string[]): string | null {
    const email = this.cell(values, 'email').toLowerCase();
    return email === '' ? null : email;
  }

  /** One row on its own: the visit, or every problem it has. */
  private read(values: readonly string[]): { visit: NewVisit } | { problems: RowReject[] } {
    const problems: RowReject[] = [];
    const text = (field: keyof typeof MAX_TEXT): string | null => {
      const v = this.cell(values, field);
      if (v.length > MAX_TEXT[field]) {
        problems.push({ field, code: 'too_long', params: { max: MAX_TEXT[field] }, value: v });
      }
      return v === '' ? null : v;
    };
    const customerNumber = text('customerNumber');
    const email = this.cell(values, 'email') || null;
    const phone = this.cell(values, 'phone') || null;
    if (email !== null && !EMAIL.test(email)) {
      problems.push({ field: 'email', code: 'invalid_email', value: email });
    }
    if (phone !== null && !PHONE.test(phone)) {
      problems.push({ field: 'phone', code: 'invalid_phone', value: phone });
    }
    if (customerNumber === null && email === null && phone === null) {
      problems.push({ field: 'customer', code: 'customer_required' });
    }

    const dateCell = this.cell(values, 'visitedAt');
    let visitedAt = 0;
    if (dateCell === '') problems.push({ field: 'visitedAt', code: 'required' });
    else {
      const date = parseVisitDate(dateCell, localDateOf(this.ctx.now));
      if (date.ok) visitedAt = zonedInstant(date.value.date, date.value.minute ?? 12 * 60);
      else problems.push({ field: 'visitedAt', code: date.problem, value: dateCell });
    }

    const statusCell = this.cell(values, 'status');
    const status = parseVisitStatus(statusCell);
    if (status === null)
      problems.push({ field: 'status', code: 'invalid_status', value: statusCell });

    const amountCell = this.cell(values, 'amount');
    let cents = 0;
    if (amountCell !== '') {
      const amount = parseAmount(amountCell, this.convention);
      if (!amount.ok) problems.push({ field: 'amount', code: amount.problem, value: amountCell });
      else if (status !== null) {
        const signed = amountForStatus(amount.cents, status);
        if (signed.ok) cents = signed.cents;
        else problems.push({ field: 'amount', code: signed.problem, value: amountCell });
      }
    }
    const kind = text('kind');
    const location = text('location');
    const externalId = text('externalId');
    if (problems.length || status === null) return { problems };
    return {
      visit: {
        externalId,
        customer: { externalId: customerNumber, email, phone },
        visitedAt,
        amountCents: cents,
        kind,
        location,
        status,
      },
    };
  }

  async batch(
    rows: readonly SourceRow[],
    reject: (line: number, problem: RowReject) => void,
  ): Promise<BatchOutcome> {
    const pending: { line: number; visit: NewVisit }[] = [];
    for (const row of rows) {
      const result = this.read(row.values);
      if ('problems' in result) {
        for (const p of result.problems) reject(row.line, p);
        continue;
      }
      const number = result.visit.externalId;
      const earlier = number === null ? undefined : this.seen.get(number);
      if (earlier !== undefined) {
        reject(row.line, {
          field: 'externalId',
          code: 'duplicate_in_file',
          params: { line: earlier },
          value: number,
        });
        continue;
      }
      if (number !== null) this.seen.set(number, row.line);
      pending.push({ line: row.line, visit: result.visit });
    }

    // The customers, in a few queries per batch; unknown and erased customers are named as such.
    // At commit, under the organisation's visit lock, as `recordVisits` matches them: an erasure
    // takes it first, so a customer erased while the import ran is a rejected row, not a failed
    // import (the lock is held to the end of the commit's transaction; taking it again is free).
    if (this.ctx.write) await lockVisitWrites(this.ctx.db, this.ctx.organisationId);
    const matches = await matchCustomers(
      this.ctx.db,
      this.ctx.organisationId,
      pending.map((p) => p.visit.customer),
    );
    const taken: NewVisit[] = [];
    pending.forEach((p, i) => {
      const match = matches[i];
      if (match && 'problem' in match) {
        const c = p.visit.customer;
        reject(
          p.line,
          match.problem === 'customer_erased'
            ? // A customer erased on request: the report keeps the line and the reason, and
              // neither their identifiers nor the row's cells (as the contact import does).
              { field: 'customer', code: match.problem, forget: true }
            : { field: 'customer', code: match.problem, value: c.externalId ?? c.email ?? c.phone },
        );
      } else taken.push(p.visit);
    });
    if (!this.ctx.write || taken.length === 0) {
      return { valid: taken.length, created: 0, updated: 0, withoutEmail: 0 };
    }
    const outcome = await recordVisits(
      this.ctx.db,
      this.ctx.deps,
      this.ctx.organisationId,
      taken,
      'import',
      this.ctx.now,
    );
    return {
      valid: taken.length,
      created: outcome.created,
      updated: outcome.updated,
      withoutEmail: 0,
    };
  }
}
