import { describe, expect, it } from 'vitest';
import {
  mergeResolutions,
  newEmployeeFrom,
  ownerKey,
  parseResolutions,
} from './owner-resolutions.ts';

describe('owner resolutions', () => {
  it('compares names folded and emails case-insensitively', () => {
    expect(ownerKey('  Jan  SMIT ')).toBe(ownerKey('jan smit'));
    expect(ownerKey('Renée Çelik')).toBe(ownerKey('renee celik'));
    expect(ownerKey('Jan@Garage.NL')).toBe('jan@garage.nl');
    expect(ownerKey('Jan Smit')).not.toBe(ownerKey('Jan Smits'));
  });

  it('keeps one decision per name, the latest winning', () => {
    const merged = mergeResolutions(
      [
        { value: 'Jan Smit', action: 'create' },
        { value: 'Els', action: 'empty' },
      ],
      [{ value: 'jan smit', action: 'link', employeeId: 'e1' }],
    );
    expect(merged).toEqual([
      { value: 'jan smit', action: 'link', employeeId: 'e1' },
      { value: 'Els', action: 'empty' },
    ]);
  });

  it('reads stored decisions defensively', () => {
    expect(parseResolutions(null)).toEqual([]);
    expect(parseResolutions('not json')).toEqual([]);
    expect(parseResolutions('{"value":"x"}')).toEqual([]);
    expect(
      parseResolutions(
        JSON.stringify([
          { value: 'A', action: 'create' },
          { value: 'B', action: 'link' },
          { value: 'C', action: 'drop' },
          { value: 'D', action: 'link', employeeId: 'e2' },
        ]),
      ),
    ).toEqual([
      { value: 'A', action: 'create' },
      { value: 'D', action: 'link', employeeId: 'e2' },
    ]);
  });

  it('creates an employee from a name, or from an email address', () => {
    expect(newEmployeeFrom(' Jan Smit ')).toEqual({ name: 'Jan Smit', email: null });
    expect(newEmployeeFrom('Jan.Smit@Garage.nl')).toEqual({
      name: 'Jan.Smit@Garage.nl',
      email: 'jan.smit@garage.nl',
    });
  });
});
