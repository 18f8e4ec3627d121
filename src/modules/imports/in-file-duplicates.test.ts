import { describe, expect, it } from 'vitest';
import { InFileDuplicates } from './in-file-duplicates.ts';

describe('InFileDuplicates', () => {
  it('reports the first line for a repeated email key', () => {
    const d = new InFileDuplicates();
    expect(d.check(2, { externalId: null, emailKey: 'jan@example.nl' })).toBeNull();
    expect(d.check(9, { externalId: null, emailKey: 'jan@example.nl' })).toEqual({
      line: 2,
      field: 'email',
    });
  });

  it('reports a repeated external id before a repeated email', () => {
    const d = new InFileDuplicates();
    d.check(2, { externalId: 'K1', emailKey: 'a@example.nl' });
    expect(d.check(3, { externalId: 'K1', emailKey: 'a@example.nl' })).toEqual({
      line: 2,
      field: 'externalId',
    });
  });

  it('does not register the keys of a duplicate row', () => {
    const d = new InFileDuplicates();
    d.check(2, { externalId: 'K1', emailKey: null });
    expect(d.check(3, { externalId: 'K1', emailKey: 'b@example.nl' })).not.toBeNull();
    expect(d.check(4, { externalId: 'K2', emailKey: 'b@example.nl' })).toBeNull();
  });

  it('keeps external ids and emails apart', () => {
    const d = new InFileDuplicates();
    d.check(2, { externalId: 'x', emailKey: null });
    expect(d.check(3, { externalId: null, emailKey: 'x' })).toBeNull();
    expect(d.size).toBe(2);
  });
});
