/**
 * Finds rows that repeat an earlier row's external id or email (case-insensitive). The later row
 * is the duplicate: the first occurrence is what the user most likely meant, and a report that
 * says "appears earlier in the file (line 12)" lets them find both. Only keys are kept (about 100
 * bytes per row), never rows, so a 100,000-row file needs a few megabytes.
 */
export class InFileDuplicates {
  readonly #lines = new Map<string, number>();

  /**
   * The line of an earlier row sharing a key with this one, or null after registering this row's
   * keys. Only rows that passed validation should be checked: an invalid first row is not
   * imported, so a later valid row with its email is not a duplicate of anything.
   */
  check(
    line: number,
    keys: { externalId: string | null; emailKey: string | null },
  ): { line: number; field: 'externalId' | 'email' } | null {
    const ext = keys.externalId === null ? null : `x:${keys.externalId}`;
    const email = keys.emailKey === null ? null : `e:${keys.emailKey}`;
    const byExt = ext === null ? undefined : this.#lines.get(ext);
    if (byExt !== undefined) return { line: byExt, field: 'externalId' };
    const byEmail = email === null ? undefined : this.#lines.get(email);
    if (byEmail !== undefined) return { line: byEmail, field: 'email' };
    if (ext !== null) this.#lines.set(ext, line);
    if (email !== null) this.#lines.set(email, line);
    return null;
  }

  get size(): number {
    return this.#lines.size;
  }
}
