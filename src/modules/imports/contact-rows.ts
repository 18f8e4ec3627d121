import type { Executor } from '../../db/database.ts';
import type { AccountTable, ConsentEventTable, ContactTable } from '../../db/schema.ts';
import { newId } from '../../shared/ids.ts';
import { hasMessage, t, type MessageKey } from '../../i18n/messages.ts';
import { accountSearchText } from '../accounts/accounts.service.ts';
import {
  allEmployeesForMatching,
  findEmployee,
  insertEmployee,
} from '../employees/employees.repository.ts';
import { employeeSearchText } from '../employees/employees.service.ts';
import { erasedFingerprints, hasErasedIdentifiers } from '../contacts/contacts.repository.ts';
import { identifierFingerprints } from '../../shared/erased-identifiers.ts';
import { ContactMatcher } from './contact-matcher.ts';
import {
  IMPORT_FIELDS,
  checkMapping,
  compileMapping,
  isMappingTarget,
  mapRow,
  suggestMapping,
  type ColumnMapping,
  type CompiledMapping,
} from './header-mapping.ts';
import { InFileDuplicates } from './in-file-duplicates.ts';
import { mergeContact } from './merge-contact.ts';
import { emit, type Occurrence } from '../../platform/events/emit.ts';
import {
  contactAccountChanged,
  contactOwnerChanged,
  type ContactAccountChange,
  type ContactOwnerChange,
} from '../contacts/contacts.events.ts';
import * as repo from './imports.repository.ts';
import {
  ownerKey,
  newEmployeeFrom,
  parseResolutions,
  type OwnerResolution,
} from './owner-resolutions.ts';
import type { SourceRow } from './read-rows.ts';
import { locationFinder } from './location-finder.ts';
import { parseLocationResolutions } from './location-resolutions.ts';
import {
  validateRow,
  type ImportContact,
  type OwnerMatch,
  type RowContext,
} from './row-validation.ts';
import type { BatchOutcome, KindPass, PassInput, RowKind, RowReject } from './row-kind.ts';

/**
 * Contacts as an import kind: a row is a customer, matched to an existing contact by customer
 * number or email (update) or new (create); accounts named for the first time are created, and
 * unknown account managers (issue 8) and locations (issue 10) follow the owner's decision per name.
 */
export const contactRows: RowKind = {
  name: 'contacts',
  fields: IMPORT_FIELDS,
  attributes: true,
  label: (locale, field) =>
    hasMessage(`import.field.${field}`) ? t(locale, `import.field.${field}` as MessageKey) : field,
  suggestMapping: (headers) => suggestMapping(headers),
  checkMapping(mapping, headers) {
    const wrong = Object.entries(mapping)
      .filter(([, target]) => !isMappingTarget(target))
      .map(([header]) => ({ field: `mapping.${header}`, problem: 'invalid_value' }));
    return wrong.length ? wrong : checkMapping(mapping as ColumnMapping, headers);
  },
  async startPass(ctx, mapping, headers) {
    const locations = await locationFinder(ctx.db, ctx.organisationId, {
      resolutions: parseLocationResolutions(ctx.import.location_resolutions),
      write: ctx.write,
      now: ctx.now,
    });
    const decided = ctx.write
      ? await applyOwnerResolutions(
          ctx.db,
          ctx.organisationId,
          parseResolutions(ctx.import.owner_resolutions),
          ctx.now,
        )
      : await decidedOwnersForValidation(ctx.db, ctx.organisationId, ctx.import.owner_resolutions);
    const employees = await loadEmployees(ctx.db, ctx.organisationId);
    return new ContactPass(ctx, compileMapping(mapping as ColumnMapping, headers), {
      findOwner: ownerFinder(employees, decided),
      findLocation: locations,
    });
  },
};

interface Employees {
  byEmail: Map<string, string[]>;
  byName: Map<string, string[]>;
}

async function loadEmployees(db: Executor, organisationId: string): Promise<Employees> {
  const byEmail = new Map<string, string[]>();
  const byName = new Map<string, string[]>();
  const add = (map: Map<string, string[]>, key: string, id: string) => {
    const ids = map.get(key);
    if (ids) ids.push(id);
    else map.set(key, [id]);
  };
  for (const e of await allEmployeesForMatching(db, organisationId)) {
    if (e.email) add(byEmail, e.email.trim().toLowerCase(), e.id);
    add(byName, employeeSearchText(e.name), e.id);
  }
  return { byEmail, byName };
}

/**
 * An `Accountmanager` cell names an employee by email or by name (case and accents ignored). A
 * name that matches no one (or several) follows the owner's decision for it, when there is one:
 * `decided` maps `ownerKey(value)` to the employee (or to null: no account manager).
 */
function ownerFinder(
  employees: Employees,
  decided: ReadonlyMap<string, string | null>,
): (value: string) => OwnerMatch {
  return (value) => {
    const ids = value.includes('@')
      ? employees.byEmail.get(value.toLowerCase())
      : employees.byName.get(employeeSearchText(value));
    if (ids && ids.length === 1 && ids[0]) return { id: ids[0] };
    const key = ownerKey(value);
    if (decided.has(key)) return { id: decided.get(key) ?? null };
    return ids && ids.length > 1 ? 'ambiguous' : 'unknown';
  };
}

type ErasableField = 'externalId' | 'email';

/** The fingerprint of each identifier of a row, by the field it came from (see erased-identifiers). */
function fieldPrints(
  organisationId: string,
  contact: ImportContact,
): Array<{ field: ErasableField; print: string }> {
  const none = { externalId: null, email: null, phone: null };
  return (['externalId', 'email'] as const).flatMap((field) =>
    identifierFingerprints(organisationId, { ...none, [field]: contact[field] }).map((print) => ({
      field,
      print,
    })),
  );
}

class ContactPass implements KindPass {
  private readonly duplicates = new InFileDuplicates();
  private readonly matcher = new ContactMatcher();
  /** Folded account name → id, for the whole file. */
  private readonly accounts = new Map<string, string>();
  private readonly emailIndex: number | null;
  private readonly ctx: PassInput;
  private readonly compiled: CompiledMapping;
  private readonly finders: Pick<RowContext, 'findOwner' | 'findLocation'>;
  /** Read at the first batch: most organisations never erased anyone, and skip the fingerprints. */
  private anyErased: Promise<boolean> | undefined;

  constructor(
    ctx: PassInput,
    compiled: CompiledMapping,
    finders: Pick<RowContext, 'findOwner' | 'findLocation'>,
  ) {
    this.ctx = ctx;
    this.compiled = compiled;
    this.finders = finders;
    this.emailIndex = compiled.fields.find((f) => f.target === 'email')?.index ?? null;
  }

  emailOf(values: readonly string[]): string | null {
    const raw =
      this.emailIndex === null ? '' : (values[this.emailIndex] ?? '').trim().toLowerCase();
    return raw === '' ? null : raw;
  }

  async batch(
    rows: readonly SourceRow[],
    reject: (line: number, problem: RowReject) => void,
  ): Promise<BatchOutcome> {
    const compiled = this.compiled;
    let withoutEmail = 0;
    // 1. Each row on its own, then repeats within the file.
    const pending: { line: number; contact: ImportContact; accountKey: string | null }[] = [];
    const repeats: {
      line: number;
      contact: ImportContact;
      earlier: { line: number; field: 'email' | 'externalId' };
    }[] = [];
    for (const row of rows) {
      const mapped = mapRow(compiled, row.values);
      const result = validateRow(mapped, {
        ...this.finders,
        defaultLanguage: this.ctx.defaultLanguage,
      });
      if (!result.ok) {
        for (const p of result.problems) reject(row.line, p);
        continue;
      }
      const c = result.contact;
      const earlier = this.duplicates.check(row.line, c);
      if (earlier) {
        // Rejected below, once it is known whether the row is an erased customer's.
        repeats.push({ line: row.line, contact: c, earlier });
        continue;
      }
      pending.push({
        line: row.line,
        contact: c,
        accountKey: c.accountName ? accountSearchText(c.accountName) : null,
      });
    }

    // 2. The contacts and accounts these rows refer to.
    const found = await repo.findContactsByKeys(this.ctx.db, this.ctx.organisationId, {
      externalIds: [...new Set(pending.flatMap((p) => p.contact.externalId ?? []))],
      emailKeys: [...new Set(pending.flatMap((p) => p.contact.emailKey ?? []))],
    });
    const existing = new Map(found.map((f) => [f.id, f]));
    this.matcher.startBatch(
      found.map((f) => ({ id: f.id, externalId: f.external_id, emailKey: f.email_key })),
    );
    const unknownAccounts = [
      ...new Set(pending.flatMap((p) => (p.accountKey === null ? [] : [p.accountKey]))),
    ].filter((folded) => !this.accounts.has(folded));
    for (const a of await repo.findAccountsByFoldedNames(
      this.ctx.db,
      this.ctx.organisationId,
      unknownAccounts,
    )) {
      if (!this.accounts.has(a.search_text)) this.accounts.set(a.search_text, a.id);
    }

    // 2b. Erasure cleared an erased customer's identifiers and kept their fingerprints: a row that
    // would create a contact with their customer number or email address brings back a person
    // who asked to be forgotten (a CRM export still holding them, say). Not the phone number: a
    // switchboard or a household shares one, and it finds no contact here either.
    this.anyErased ??= hasErasedIdentifiers(this.ctx.db, this.ctx.organisationId);
    const printsOf = new Map<number, Array<{ field: ErasableField; print: string }>>();
    if (await this.anyErased) {
      for (const { line, contact } of [...pending, ...repeats]) {
        printsOf.set(line, fieldPrints(this.ctx.organisationId, contact));
      }
    }
    const erased = await erasedFingerprints(
      this.ctx.db,
      this.ctx.organisationId,
      [...printsOf.values()].flat().map((p) => p.print),
    );
    const isErased = (line: number) => printsOf.get(line)?.some((p) => erased.has(p.print));
    for (const { line, contact, earlier } of repeats) {
      reject(line, {
        field: earlier.field,
        code: 'duplicate_in_file',
        params: { line: earlier.line },
        // A repeat of an erased customer's row keeps no trace of them either.
        ...(isErased(line)
          ? { forget: true }
          : { value: earlier.field === 'email' ? contact.email : contact.externalId }),
      });
    }

    // 3. Decide create / update / reject, row by row, in file order.
    const newAccounts: AccountTable[] = [];
    const creates: ContactTable[] = [];
    const updates: ContactTable[] = [];
    const consents: ConsentEventTable[] = [];
    const consentSource = `import:${this.ctx.importId}`;
    const moved: Occurrence<ContactOwnerChange>[] = [];
    const movedAccount: Occurrence<ContactAccountChange>[] = [];
    for (const { line, contact, accountKey } of pending) {
      const decision = this.matcher.match(contact);
      if (decision.kind === 'reject') {
        reject(line, {
          field: decision.field,
          code: decision.code,
          ...(decision.params ? { params: decision.params } : {}),
          value: decision.field === 'email' ? contact.email : contact.externalId,
        });
        continue;
      }
      const erasedField =
        decision.kind === 'create'
          ? printsOf.get(line)?.find((p) => erased.has(p.print))?.field
          : undefined;
      if (erasedField !== undefined) {
        // Neither the identifier nor the row is kept in the report: they are the erased person's.
        reject(line, { field: erasedField, code: 'erased_not_imported', forget: true });
        continue;
      }
      // An account named for the first time is created with the first row that names it.
      const knownAccount = accountKey === null ? null : (this.accounts.get(accountKey) ?? null);
      const accountId = accountKey === null ? null : (knownAccount ?? newId());
      const id = decision.kind === 'update' ? decision.id : newId();
      const merged = mergeContact(
        decision.kind === 'update' ? (existing.get(id) ?? null) : null,
        contact,
        {
          id,
          organisationId: this.ctx.organisationId,
          now: this.ctx.now,
          defaultLanguage: this.ctx.defaultLanguage,
          accountId,
          source: consentSource,
        },
      );
      if (!merged.ok) {
        reject(line, { field: merged.field, code: merged.code, params: merged.params });
        continue;
      }
      if (accountKey !== null && accountId !== null && knownAccount === null) {
        this.accounts.set(accountKey, accountId);
        newAccounts.push({
          id: accountId,
          organisation_id: this.ctx.organisationId,
          external_id: null,
          name: contact.accountName ?? accountKey,
          segment: null,
          // The company's account manager is the one its first row names (a file lists a
          // company's contacts under their manager); a later change is made on the account.
          owner_employee_id: merged.row.owner_employee_id,
          search_text: accountKey,
          created_at: this.ctx.now,
          updated_at: this.ctx.now,
        });
      }
      this.matcher.record(line, contact, { kind: decision.kind, id });
      (decision.kind === 'update' ? updates : creates).push(merged.row);
      const before = decision.kind === 'update' ? existing.get(id) : undefined;
      if (before && before.owner_employee_id !== merged.row.owner_employee_id) {
        moved.push({
          organisationId: this.ctx.organisationId,
          data: {
            contactId: id,
            previousOwnerEmployeeId: before.owner_employee_id,
            ownerEmployeeId: merged.row.owner_employee_id,
          },
        });
      }
      if (before && before.account_id !== merged.row.account_id) {
        movedAccount.push({
          organisationId: this.ctx.organisationId,
          data: {
            contactId: id,
            previousAccountId: before.account_id,
            accountId: merged.row.account_id,
          },
        });
      }
      if (merged.row.email === null) withoutEmail++;
      if (merged.consentGranted) {
        consents.push({
          id: newId(),
          organisation_id: this.ctx.organisationId,
          contact_id: id,
          kind: 'granted',
          source: consentSource,
          created_at: this.ctx.now,
        });
      }
    }

    // 4. At commit: accounts first (contacts point at them), updates before inserts (an update may
    // free an email a new contact takes), then consent events.
    if (this.ctx.write) {
      await repo.insertAccounts(this.ctx.db, newAccounts);
      if ((await repo.updateContacts(this.ctx.db, updates)) < updates.length) {
        // A contact of this batch was erased after it was read: nothing of the batch is kept
        // (the transaction rolls back) and the next attempt no longer finds that person.
        throw new Error('a contact of this batch was erased while the import ran');
      }
      await repo.insertContacts(this.ctx.db, creates);
      await repo.insertConsentEvents(this.ctx.db, consents);
      // A customer the file gives another account manager, or puts in another company, takes
      // their open case along.
      await emit(this.ctx.db, this.ctx.deps, contactOwnerChanged, moved, this.ctx.now);
      await emit(this.ctx.db, this.ctx.deps, contactAccountChanged, movedAccount, this.ctx.now);
    }
    return {
      valid: creates.length + updates.length,
      created: creates.length,
      updated: updates.length,
      withoutEmail,
    };
  }
}

/**
 * The decisions as validation applies them: nothing is written yet, so a name to create counts
 * as resolved (to no one in particular) and a link to an employee that no longer exists does not.
 */
async function decidedOwnersForValidation(
  db: Executor,
  organisationId: string,
  json: string | null,
): Promise<Map<string, string | null>> {
  const decided = new Map<string, string | null>();
  for (const r of parseResolutions(json)) {
    if (r.action === 'link') {
      if (await findEmployee(db, organisationId, r.employeeId)) {
        decided.set(ownerKey(r.value), r.employeeId);
      }
    } else {
      decided.set(ownerKey(r.value), null);
    }
  }
  return decided;
}

/**
 * The decisions as the commit applies them, inside its transaction: creates the employees the
 * owner asked for (or links to one who now matches the name, created meanwhile), so the employees
 * and the contacts that name them are written together or not at all.
 */
async function applyOwnerResolutions(
  db: Executor,
  organisationId: string,
  resolutions: readonly OwnerResolution[],
  now: number,
): Promise<Map<string, string | null>> {
  const decided = new Map<string, string | null>();
  if (!resolutions.length) return decided;
  const employees = await loadEmployees(db, organisationId);
  for (const r of resolutions) {
    const key = ownerKey(r.value);
    if (r.action === 'empty') {
      decided.set(key, null);
    } else if (r.action === 'link') {
      if (await findEmployee(db, organisationId, r.employeeId)) decided.set(key, r.employeeId);
    } else {
      const existing = ownerFinder(employees, new Map())(r.value);
      if (typeof existing === 'object' && existing.id) {
        decided.set(key, existing.id);
        continue;
      }
      const person = newEmployeeFrom(r.value);
      const id = newId();
      await insertEmployee(db, {
        id,
        organisation_id: organisationId,
        name: person.name,
        email: person.email,
        team: null,
        search_text: employeeSearchText(person.name),
        created_at: now,
        updated_at: now,
      });
      decided.set(key, id);
    }
  }
  return decided;
}
