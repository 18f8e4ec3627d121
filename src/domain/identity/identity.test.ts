import { describe, expect, it } from 'vitest';
import {
  addressKey,
  emailDomain,
  emailKey,
  householdKey,
  houseNumberKey,
  lastNameKey,
  phoneKey,
  plateKey,
  postcodeKey,
  sharedDetails,
} from './identity.ts';

describe('identity keys', () => {
  it('folds an email to the mailbox it delivers to', () => {
    expect(emailKey(' Jan.Jansen+APK@Gmail.com ')).toBe('janjansen@gmail.com');
    expect(emailKey('jan.jansen@googlemail.com')).toBe('janjansen@gmail.com');
    expect(emailKey('jan.jansen+x@ziggo.nl')).toBe('jan.jansen@ziggo.nl');
    expect(emailKey('jan.jansen@ziggo.nl')).not.toBe(emailKey('janjansen@ziggo.nl'));
  });

  it('gives no key for what is not an address', () => {
    for (const bad of ['', null, undefined, 'jan', '@ziggo.nl', 'jan@', 'jan@localhost']) {
      expect(emailKey(bad)).toBeNull();
    }
  });

  it('keeps a one-letter mailbox and a leading "+", drops trailing dots of the domain', () => {
    expect(emailKey('j@ziggo.nl')).toBe('j@ziggo.nl');
    expect(emailKey('+jan@ziggo.nl')).toBe('+jan@ziggo.nl');
    expect(emailKey('jan@ziggo.nl..')).toBe('jan@ziggo.nl');
    expect(emailKey('jan.ziggo.nl')).toBeNull();
  });

  it('keys need enough to go on: 6 phone digits, 4 postcode signs, a number first, 2 letters', () => {
    expect(phoneKey('12-345')).toBeNull();
    expect(phoneKey('123 456')).toBe('123456');
    expect(postcodeKey('123')).toBeNull();
    expect(postcodeKey('1234')).toBe('1234');
    expect(houseNumberKey('A12')).toBeNull();
    expect(lastNameKey('van der Vös')).toBe('vandervos');
    expect(lastNameKey('Ö')).toBeNull();
  });

  it('reads the domain of an address', () => {
    expect(emailDomain('A@Mailinator.COM')).toBe('mailinator.com');
    expect(emailDomain('nope')).toBeNull();
  });

  it('unifies Dutch and international phone notations', () => {
    const k = '31612345678';
    expect(phoneKey('06-12345678')).toBe(k);
    expect(phoneKey('+31 6 1234 5678')).toBe(k);
    expect(phoneKey('0031612345678')).toBe(k);
    expect(phoneKey('+31 (0)6 12345678')).toBe(k);
    expect(phoneKey('0031 (0)6 12345678')).toBe(k);
    expect(phoneKey('31 (0)6 12345678')).toBe(k);
    expect(phoneKey('+31 (0)20 123 4567')).toBe('31201234567');
    // A number that only starts like "31 (0)": a Los Angeles number without its country code.
    expect(phoneKey('310-555-1234')).toBe('3105551234');
    expect(phoneKey('123 4567')).toBe('1234567');
    // "0612345678" typed into Excel as a number, and a landline likewise.
    expect(phoneKey('612345678')).toBe(k);
    expect(phoneKey('201234567')).toBe('31201234567');
    expect(phoneKey('12345678')).toBe('12345678');
    expect(phoneKey('020 123 4567')).toBe('31201234567');
    expect(phoneKey('+32 470 12 34 56')).toBe('32470123456');
    expect(phoneKey('1234')).toBeNull();
    expect(phoneKey(null)).toBeNull();
  });

  it('compares addresses by postcode and house number', () => {
    expect(addressKey({ postcode: '1234 ab', houseNumber: '12-a' })).toBe('1234AB|12A');
    expect(addressKey({ postcode: '1234AB', houseNumber: '12 A' })).toBe('1234AB|12A');
    expect(addressKey({ postcode: '1234AB' })).toBeNull();
    expect(addressKey({ postcode: '1234AB', houseNumber: 'a' })).toBeNull();
  });

  it('sees one household in one family at one postcode', () => {
    expect(householdKey({ postcode: '1234 AB', lastName: 'van der Vös' })).toBe(
      householdKey({ postcode: '1234ab', lastName: 'Van Der Vos' }),
    );
    expect(householdKey({ postcode: '1234 AB' })).toBeNull();
  });

  it('folds licence plates', () => {
    expect(plateKey('12-abc-3')).toBe('12ABC3');
    expect(plateKey('12 ABC 3')).toBe('12ABC3');
    expect(plateKey('x')).toBeNull();
  });
});

describe('shared details', () => {
  it('names every identifying detail two people share', () => {
    expect(
      sharedDetails(
        { email: 'a@b.nl', phone: '0612345678', licencePlates: ['12-ABC-3'] },
        { email: 'A@B.nl', phone: '+31612345678', licencePlates: ['99-XX-99', '12abc3'] },
      ),
    ).toEqual(['email', 'phone', 'licencePlate']);
  });

  it('reports household only when the address itself does not match', () => {
    const a = { postcode: '1234AB', houseNumber: '12', lastName: 'Jansen' };
    expect(
      sharedDetails(a, { postcode: '1234 ab', houseNumber: '12', lastName: 'Jansen' }),
    ).toEqual(['address']);
    expect(
      sharedDetails(a, { postcode: '1234 ab', houseNumber: '12a', lastName: 'jansen' }),
    ).toEqual(['household']);
    expect(
      sharedDetails(a, { postcode: '1234 ab', houseNumber: '14', lastName: 'Pietersen' }),
    ).toEqual([]);
  });

  it('never matches on missing details', () => {
    expect(sharedDetails({}, {})).toEqual([]);
    expect(
      sharedDetails({ email: null, licencePlates: [] }, { email: null, licencePlates: ['x'] }),
    ).toEqual([]);
  });
});
