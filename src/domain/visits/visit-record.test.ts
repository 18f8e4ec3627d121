import { describe, it, expect } from 'vitest';
import { amountForStatus, kindKey, parseVisitStatus } from './visit-record.ts';

describe('visit status', () => {
  it.each([
    ['', 'completed'],
    ['Afgerond', 'completed'],
    ['betaald', 'completed'],
    ['Gefactureerd', 'completed'],
    ['gefaktureerd', 'completed'],
    ['Afgehandeld', 'completed'],
    ['Uitgevoerd', 'completed'],
    ['Voldaan', 'completed'],
    ['Geannuleerd', 'cancelled'],
    ['no-show', 'cancelled'],
    ['Niet verschenen', 'cancelled'],
    ['Creditnota', 'refund'],
    ['RETOUR', 'refund'],
    ['Refund', 'refund'],
    ['misschien', null],
  ])('%s is %s', (text, status) => {
    expect(parseVisitStatus(text)).toBe(status);
  });
});

describe('amounts per status', () => {
  it('makes a refund negative whichever sign the file used', () => {
    expect(amountForStatus(1250, 'refund')).toEqual({ ok: true, cents: -1250 });
    expect(amountForStatus(-1250, 'refund')).toEqual({ ok: true, cents: -1250 });
  });

  it('rejects a negative amount on a visit, and on a cancellation', () => {
    expect(amountForStatus(-1250, 'completed')).toEqual({ ok: false, problem: 'amount_negative' });
    expect(amountForStatus(-1, 'cancelled')).toEqual({ ok: false, problem: 'amount_negative' });
  });

  it('keeps zero and positive amounts', () => {
    expect(amountForStatus(0, 'completed')).toEqual({ ok: true, cents: 0 });
    expect(amountForStatus(8950, 'cancelled')).toEqual({ ok: true, cents: 8950 });
  });
});

describe('kind keys', () => {
  it('fold case, accents and spacing so "APK " matches "apk"', () => {
    expect(kindKey(' APK ')).toBe('apk');
    expect(kindKey('Onderhoud  Groot')).toBe('onderhoud groot');
    expect(kindKey('Reparatié')).toBe('reparatie');
  });
});
