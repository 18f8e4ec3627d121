import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  identifierFingerprints,
  fingerprintPhone,
  identifierKeys,
  lookupFingerprints,
} from './erased-identifiers.ts';

describe('erased identifiers', () => {
  it('reads one phone number in its national, international and punctuated forms alike', () => {
    expect(fingerprintPhone('+31 6 1234 5678')).toBe('0612345678');
    expect(fingerprintPhone('0031612345678')).toBe('0612345678');
    expect(fingerprintPhone('06-12345678')).toBe('0612345678');
    expect(fingerprintPhone('(06) 123.456/78')).toBe('0612345678');
    expect(fingerprintPhone('+31 (0)6 1234 5678')).toBe('0612345678');
    expect(fingerprintPhone('+31 (0)20 123 4567')).toBe('0201234567');
    expect(fingerprintPhone('612345678')).toBe('0612345678');
    expect(fingerprintPhone('+32 470 12 34 56')).toBe('+32470123456');
    expect(fingerprintPhone('0032 470 12 34 56')).toBe('+32470123456');
    expect(fingerprintPhone('12-34')).toBeNull();
    // A local number without its area code, as some CRMs hold them, is still an identifier.
    expect(fingerprintPhone('123 4567')).toBe('+1234567');
  });

  it("looks for the forms erasures wrote before, and stores only today's", () => {
    const org = 'org-a';
    const none = { externalId: null, email: null };
    const today = fingerprint(org, 'phone:0612345678');
    // An erasure before migration 0059 of a contact stored as "+31 (0)6 1234 5678".
    const bracketed = fingerprint(org, 'phone:00612345678');
    expect(identifierFingerprints(org, { ...none, phone: '06 1234 5678' })).toEqual([today]);
    expect(lookupFingerprints(org, { ...none, phone: '06 1234 5678' })).toEqual([
      today,
      bracketed,
      // A CRM export's "31612345678" and "31 (0)6 1234 5678" were kept as typed.
      fingerprint(org, 'phone:31612345678'),
      fingerprint(org, 'phone:310612345678'),
      // One a spreadsheet stored as a number.
      fingerprint(org, 'phone:612345678'),
    ]);
    // A foreign number written without "+" was fingerprinted with its prefix or digits as typed.
    expect(lookupFingerprints(org, { ...none, phone: '0032 470 12 34 56' })).toEqual([
      fingerprint(org, 'phone:+32470123456'),
      fingerprint(org, 'phone:0032470123456'),
      fingerprint(org, 'phone:32470123456'),
    ]);
    expect(lookupFingerprints(org, { externalId: 'K-1', email: null, phone: null })).toEqual([
      fingerprint(org, 'customer:K-1'),
    ]);
  });

  it('normalises each identifier with its kind and leaves out what is empty or too short', () => {
    expect(
      identifierKeys({ externalId: ' K-17 ', email: ' Jan@DeVries.nl ', phone: '+31 6 1234 5678' }),
    ).toEqual(['customer:K-17', 'email:jan@devries.nl', 'phone:0612345678']);
    expect(identifierKeys({ externalId: '  ', email: null, phone: '12-34' })).toEqual([]);
  });

  it('gives the same fingerprint for the same identifier in any form, and none that shows it', () => {
    const org = 'org-a';
    const a = identifierFingerprints(org, {
      externalId: null,
      email: 'JAN@devries.nl',
      phone: null,
    });
    const b = identifierFingerprints(org, {
      externalId: null,
      email: 'jan@devries.nl ',
      phone: null,
    });
    expect(a).toEqual(b);
    expect(a[0]).toMatch(/^[0-9a-f]{64}$/);
    expect(a[0]).not.toContain('jan');
  });

  it('tells organisations and kinds apart', () => {
    expect(fingerprint('org-a', 'email:jan@devries.nl')).not.toBe(
      fingerprint('org-b', 'email:jan@devries.nl'),
    );
    expect(fingerprint('org-a', 'customer:0612345678')).not.toBe(
      fingerprint('org-a', 'phone:0612345678'),
    );
  });
});
