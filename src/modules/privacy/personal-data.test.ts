import { describe, expect, it } from 'vitest';
// Only the service: no route file is loaded, as in the CLI or a worker.
import './privacy.service.ts';
import { personalDataHolders, registerPersonalData } from './personal-data.ts';

describe('personal data registry', () => {
  it('has every holder once the privacy service is loaded, without any route file', () => {
    expect(personalDataHolders().map((h) => h.name)).toEqual(
      expect.arrayContaining(['contact', 'consentEvents', 'responses', 'emails', 'importErrors']),
    );
  });

  it('runs holders that match by email before the contact holder clears it', () => {
    const names = personalDataHolders().map((h) => h.name);
    expect(names.indexOf('importErrors')).toBeLessThan(names.indexOf('contact'));
  });

  it('orders by `order`, then by registration, whatever the import order', () => {
    const noop = { export: async () => null, erase: async () => {} };
    registerPersonalData({ name: 'test-late', order: 50, ...noop });
    registerPersonalData({ name: 'test-early', order: -50, ...noop });
    const names = personalDataHolders().map((h) => h.name);
    expect(names[0]).toBe('test-early');
    expect(names[names.length - 1]).toBe('test-late');
    expect(names.indexOf('contact')).toBeLessThan(names.indexOf('consentEvents'));
  });
});
