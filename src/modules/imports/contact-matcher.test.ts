import { describe, expect, it } from 'vitest';
import { ContactMatcher, type ContactKeys } from './contact-matcher.ts';

let seq = 0;
const newId = () => `new-${++seq}`;

/** Runs rows through match + record, as the import does. */
function run(matcher: ContactMatcher, rows: [number, ContactKeys][]) {
  return rows.map(([line, keys]) => {
    const decision = matcher.match(keys);
    if (decision.kind === 'reject') return decision;
    const id = decision.kind === 'update' ? decision.id : newId();
    matcher.record(line, keys, { kind: decision.kind, id });
    return { kind: decision.kind, id };
  });
}

describe('ContactMatcher', () => {
  it('creates contacts it does not find', () => {
    const m = new ContactMatcher();
    m.startBatch([]);
    const [decision] = run(m, [[2, { externalId: 'K1', emailKey: 'a@x.nl' }]]);
    expect(decision?.kind).toBe('create');
    expect(m.match({ externalId: 'K1', emailKey: null })).toMatchObject({
      code: 'duplicate_in_file',
      params: { line: 2 },
    });
  });

  it('updates by external id first, then by email', () => {
    const m = new ContactMatcher();
    m.startBatch([
      { id: 'c1', externalId: 'K1', emailKey: 'old@x.nl' },
      { id: 'c2', externalId: null, emailKey: 'b@x.nl' },
    ]);
    expect(
      run(m, [
        [2, { externalId: 'K1', emailKey: 'new@x.nl' }],
        [3, { externalId: 'K2', emailKey: 'b@x.nl' }],
      ]),
    ).toEqual([
      { kind: 'update', id: 'c1' },
      { kind: 'update', id: 'c2' },
    ]);
  });

  it('refuses an email that belongs to a contact with another external id', () => {
    const m = new ContactMatcher();
    m.startBatch([{ id: 'c1', externalId: 'K1', emailKey: 'a@x.nl' }]);
    expect(m.match({ externalId: 'K9', emailKey: 'a@x.nl' })).toEqual({
      kind: 'reject',
      field: 'email',
      code: 'taken',
    });
  });

  it('refuses a row whose external id and email point at two different contacts', () => {
    const m = new ContactMatcher();
    m.startBatch([
      { id: 'c1', externalId: 'K1', emailKey: 'a@x.nl' },
      { id: 'c2', externalId: 'K2', emailKey: 'b@x.nl' },
    ]);
    expect(m.match({ externalId: 'K1', emailKey: 'b@x.nl' })).toMatchObject({ code: 'taken' });
  });

  it('refuses a second row that reaches the same contact by another key', () => {
    const m = new ContactMatcher();
    m.startBatch([{ id: 'c1', externalId: 'K1', emailKey: 'a@x.nl' }]);
    expect(
      run(m, [
        [2, { externalId: 'K1', emailKey: null }],
        [7, { externalId: null, emailKey: 'a@x.nl' }],
      ]),
    ).toEqual([
      { kind: 'update', id: 'c1' },
      { kind: 'reject', field: 'email', code: 'duplicate_in_file', params: { line: 2 } },
    ]);
  });

  it('frees an email a contact moved away from, within a batch and across batches', () => {
    const m = new ContactMatcher();
    m.startBatch([{ id: 'c1', externalId: 'K1', emailKey: 'a@x.nl' }]);
    run(m, [[2, { externalId: 'K1', emailKey: 'b@x.nl' }]]);
    expect(m.match({ externalId: 'K2', emailKey: 'a@x.nl' })).toEqual({ kind: 'create' });
    // Validation writes nothing: the next batch still finds c1 under its old email in the database.
    m.startBatch([{ id: 'c1', externalId: 'K1', emailKey: 'a@x.nl' }]);
    expect(m.match({ externalId: 'K3', emailKey: 'a@x.nl' })).toEqual({ kind: 'create' });
    expect(m.match({ externalId: 'K3', emailKey: 'b@x.nl' })).toMatchObject({ code: 'taken' });
  });

  it('takes over a free external id for a contact found by email', () => {
    const m = new ContactMatcher();
    m.startBatch([{ id: 'c1', externalId: null, emailKey: 'a@x.nl' }]);
    run(m, [[2, { externalId: 'K1', emailKey: 'a@x.nl' }]]);
    m.startBatch([{ id: 'c1', externalId: null, emailKey: 'a@x.nl' }]);
    expect(m.match({ externalId: 'K1', emailKey: null })).toMatchObject({
      code: 'duplicate_in_file',
      params: { line: 2 },
    });
  });

  it('keeps a contact unmatched when the caller rejects the row after matching', () => {
    const m = new ContactMatcher();
    m.startBatch([{ id: 'c1', externalId: 'K1', emailKey: 'a@x.nl' }]);
    expect(m.match({ externalId: 'K1', emailKey: 'b@x.nl' })).toEqual({ kind: 'update', id: 'c1' });
    // not recorded: a later row may still update c1, and b@x.nl is still free
    expect(m.match({ externalId: 'K1', emailKey: null })).toEqual({ kind: 'update', id: 'c1' });
    expect(m.match({ externalId: 'K5', emailKey: 'a@x.nl' })).toMatchObject({ code: 'taken' });
  });
});
