/** The keys by which an import row finds its contact: external id first, then email. */
export interface ContactKeys {
  externalId: string | null;
  emailKey: string | null;
}

/** A contact the database returned for a batch. */
export interface KnownContact extends ContactKeys {
  id: string;
}

export type MatchDecision =
  | { kind: 'create' }
  | { kind: 'update'; id: string }
  | {
      kind: 'reject';
      field: 'email' | 'externalId';
      code: 'taken' | 'duplicate_in_file';
      params?: { line: number };
    };

/**
 * Decides, row by row, whether an import row creates a contact, updates one, or must be rejected
 * because it contradicts the database: its email belongs to a contact with another external id
 * (`taken`), or an earlier row already updated the same contact (`duplicate_in_file`). Rejecting
 * here, before any write, is what keeps the unique indexes from failing halfway through a commit.
 *
 * The same matcher runs at validation (nothing written, so it remembers the keys each row moved)
 * and at commit (the database is current, and the memory agrees with it), so the report and the
 * commit reach the same verdicts. It keeps two small entries per changed contact, never rows.
 *
 * `match` only looks; `record` makes the outcome visible to later rows. A row the caller rejects
 * for another reason after matching is simply not recorded.
 */
export class ContactMatcher {
  /** Keys of contacts this import changed, as they are after the change. */
  readonly #moved = new Map<string, ContactKeys>();
  /** Contact id → the line that created or updated it. */
  readonly #touched = new Map<string, number>();
  #byExt = new Map<string, string>();
  #byEmail = new Map<string, string>();
  #batch = new Map<string, ContactKeys>();

  /** Indexes the contacts found for the next batch's keys, corrected by this import's changes. */
  startBatch(found: readonly KnownContact[]): void {
    this.#byExt = new Map();
    this.#byEmail = new Map();
    this.#batch = new Map();
    for (const contact of found) {
      const keys = this.#moved.get(contact.id) ?? {
        externalId: contact.externalId,
        emailKey: contact.emailKey,
      };
      this.#batch.set(contact.id, keys);
      if (keys.externalId !== null) this.#byExt.set(keys.externalId, contact.id);
      if (keys.emailKey !== null) this.#byEmail.set(keys.emailKey, contact.id);
    }
  }

  match(row: ContactKeys): MatchDecision {
    const byExt = row.externalId === null ? undefined : this.#byExt.get(row.externalId);
    const byEmail = row.emailKey === null ? undefined : this.#byEmail.get(row.emailKey);
    if (byExt !== undefined && byEmail !== undefined && byExt !== byEmail) {
      return { kind: 'reject', field: 'email', code: 'taken' };
    }
    const target = byExt ?? byEmail;
    if (target === undefined) return { kind: 'create' };
    const current = this.#keysOf(target);
    if (
      byExt === undefined &&
      row.externalId !== null &&
      current.externalId !== null &&
      current.externalId !== row.externalId
    ) {
      return { kind: 'reject', field: 'email', code: 'taken' };
    }
    const earlier = this.#touched.get(target);
    if (earlier !== undefined) {
      return {
        kind: 'reject',
        field: byExt !== undefined ? 'externalId' : 'email',
        code: 'duplicate_in_file',
        params: { line: earlier },
      };
    }
    return { kind: 'update', id: target };
  }

  /** Remembers that `line` created (with `id`) or updated a contact, and the keys it now has. */
  record(line: number, row: ContactKeys, outcome: { kind: 'create' | 'update'; id: string }): void {
    const before =
      outcome.kind === 'create' ? { externalId: null, emailKey: null } : this.#keysOf(outcome.id);
    const after: ContactKeys = {
      externalId: row.externalId ?? before.externalId,
      emailKey: row.emailKey ?? before.emailKey,
    };
    this.#index(outcome.id, before, after);
    this.#batch.set(outcome.id, after);
    if (outcome.kind === 'update') this.#moved.set(outcome.id, after);
    this.#touched.set(outcome.id, line);
  }

  #keysOf(id: string): ContactKeys {
    return this.#moved.get(id) ?? this.#batch.get(id) ?? { externalId: null, emailKey: null };
  }

  #index(id: string, before: ContactKeys, after: ContactKeys): void {
    if (before.externalId !== after.externalId) {
      if (before.externalId !== null && this.#byExt.get(before.externalId) === id) {
        this.#byExt.delete(before.externalId);
      }
      if (after.externalId !== null) this.#byExt.set(after.externalId, id);
    }
    if (before.emailKey !== after.emailKey) {
      if (before.emailKey !== null && this.#byEmail.get(before.emailKey) === id) {
        this.#byEmail.delete(before.emailKey);
      }
      if (after.emailKey !== null) this.#byEmail.set(after.emailKey, id);
    }
  }
}
