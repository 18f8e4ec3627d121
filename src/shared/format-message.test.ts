import { describe, expect, it } from 'vitest';
import { formatMessage } from './format-message.ts';

describe('formatMessage', () => {
  const rows = '{count, plural, one {# regel kan} other {# regels kunnen}} we niet inlezen';

  it('fills placeholders and keeps unknown ones visible', () => {
    expect(formatMessage('Hallo {name}, {missing}', { name: 'Piet' }, 'nl')).toBe(
      'Hallo Piet, {missing}',
    );
    expect(formatMessage('geen accolades', {}, 'nl')).toBe('geen accolades');
  });

  it('picks singular and plural by the locale’s rules', () => {
    expect(formatMessage(rows, { count: 1 }, 'nl')).toBe('1 regel kan we niet inlezen');
    expect(formatMessage(rows, { count: 0 }, 'nl')).toBe('0 regels kunnen we niet inlezen');
    expect(formatMessage(rows, { count: 2 }, 'nl')).toBe('2 regels kunnen we niet inlezen');
    expect(formatMessage('{n, plural, one {# row} other {# rows}}', { n: 1 }, 'en')).toBe('1 row');
  });

  it('formats # as a number of the locale', () => {
    expect(formatMessage(rows, { count: 12345 }, 'nl')).toBe(
      '12.345 regels kunnen we niet inlezen',
    );
    expect(formatMessage('{n, plural, one {# row} other {# rows}}', { n: 12345 }, 'en')).toBe(
      '12,345 rows',
    );
  });

  it('prefers an exact match, and fills placeholders inside a branch', () => {
    const days =
      '{days, plural, =0 {vandaag} =1 {gisteren} other {# dagen geleden}} gevraagd — {date}';
    expect(formatMessage(days, { days: 0, date: '1 mei' }, 'nl')).toBe('vandaag gevraagd — 1 mei');
    expect(formatMessage(days, { days: 1, date: '1 mei' }, 'nl')).toBe('gisteren gevraagd — 1 mei');
    expect(formatMessage(days, { days: 40, date: '1 mei' }, 'nl')).toBe(
      '40 dagen geleden gevraagd — 1 mei',
    );
    expect(
      formatMessage(
        '{count, plural, one {# klant van {org}} other {# klanten van {org}}}',
        { count: 3, org: 'Garage' },
        'nl',
      ),
    ).toBe('3 klanten van Garage');
  });

  it('reads a number passed as text, and leaves a plural without its number visible', () => {
    expect(formatMessage(rows, { count: '1' }, 'nl')).toBe('1 regel kan we niet inlezen');
    expect(formatMessage(rows, {}, 'nl')).toBe(rows);
  });
});
