import { describe, expect, it } from 'vitest';
import {
  fingerprint,
  identifierFingerprints,
  identifierKeys,
  nationalPhone,
} from './erased-identifiers.ts';

describe('erased identifiers', () => {
  it('reads one phone number in its national, international and punctuated forms alike', () => {
    expect(nationalPhone('+31 6 1234 5678')).toBe('0612345678');
    expect(nationalPhone('0031612345678')).toBe('0612345678');
    expect(nationalPhone('06-12345678')).toBe('0612345678');
    expect(nationalPhone('(06) 123.456/78')).toBe('0612345678');
    expect(nationalPhone('+32 470 12 34 56')).toBe('+32470123456');
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
