import { describe, it, expect } from 'vitest';
import { isoDate } from '../calendar/zoned-time.ts';
import { parseVisitDate } from './parse-visit-date.ts';

const TODAY = { year: 2026, month: 11, day: 29 };
const read = (text: string) => {
  const r = parseVisitDate(text, TODAY);
  return r.ok
    ? `${isoDate(r.value.date)}${r.value.minute === null ? '' : ` +${r.value.minute}`}`
    : r.problem;
};

describe('visit dates', () => {
  it.each([
    ['28-11-2026', '2026-11-28'],
    ['3-2-2026', '2026-02-03'],
    ['03-02-26', '2026-02-03'],
    ['3-2-26', '2026-02-03'],
    ['28/11/2026', '2026-11-28'],
    ['28.11.2026', '2026-11-28'],
    ['2026-11-28', '2026-11-28'],
    ['2026-1-5', '2026-01-05'],
    [' 28-11-2026 ', '2026-11-28'],
    ['28-11-2026 09:30', '2026-11-28 +570'],
    ['28-11-2026 9.30', '2026-11-28 +570'],
    ['2026-11-28 13:05:00', '2026-11-28 +785'],
    ['2026-11-28T13:05:00Z', '2026-11-28 +845'],
    ['29-02-2024', '2024-02-29'],
    ['1-1-99', '1999-01-01'],
    ['1-1-27', 'date_in_future'],
    // Separators may repeat: a double space, or a tab, between date and time.
    ['28-11-2026  09:30', '2026-11-28 +570'],
    ['28-11-2026\t09:30', '2026-11-28 +570'],
    // With an offset or Z (with or without the colon) the time is an instant, read in Dutch time
    // as the API reads one: in November Amsterdam is UTC+1.
    ['2026-11-28T13:05:00+01:00', '2026-11-28 +785'],
    ['2026-11-28T13:05:00-0500', '2026-11-28 +1145'],
    ['2026-11-28T13:05+01:00', '2026-11-28 +785'],
    ['2026-06-28T13:05:00+0000', '2026-06-28 +905'],
    // Late in the evening in UTC is the next day in Amsterdam, and the next month.
    ['2026-10-31T23:30:00Z', '2026-11-01 +30'],
    ['2026-11-28T23:59:00+14:00', '2026-11-28 +659'],
    ['2026-11-28T13:05:00+05:30', '2026-11-28 +515'],
    // Fractional seconds (spreadsheets and databases export them) are dropped.
    ['2026-11-28T13:05:59.5', '2026-11-28 +785'],
    ['2026-11-28T13:05:00.123Z', '2026-11-28 +845'],
    // The last minute of the day and the last second of a minute.
    ['28-11-2026 23:59:59', '2026-11-28 +1439'],
    ['28-11-2026 0:00', '2026-11-28 +0'],
  ])('reads %s as %s', (text, expected) => {
    expect(read(text)).toBe(expected);
  });

  it('reads two-digit years more than a year ahead as the last century', () => {
    expect(read('1-1-28')).toBe('date_too_old');
    expect(read('1-1-95')).toBe('1995-01-01');
  });

  it.each([
    '31-11-2026',
    '29-02-2025',
    '13-13-2026',
    '0-1-2026',
    '28-11',
    '28-11/2026',
    '11/28/2026',
    '2026/11/28',
    'gisteren',
    '',
    '28-11-2026 25:00',
    '28-11-2026 24:00',
    '28-11-2026 10:60',
    '28-11-2026 10:00:60',
    '28-11-2026 10:00:60.5',
    '28-11-2026 9h30',
    '28-11-2026 10',
    // An offset needs a two-digit hour; a Z only ends the time.
    '2026-11-28T13:05+1:00',
    '2026-11-28T13:Z05',
    '28-11-2026 10:00 extra',
    '31-02-2026',
    '00-11-2026',
    '28-00-2026',
  ])('refuses %s', (text) => {
    expect(read(text)).toBe('date_invalid');
  });

  it('refuses a visit after tomorrow, and typos before 1990', () => {
    expect(read('30-11-2026')).toBe('2026-11-30');
    expect(read('1-12-2026')).toBe('date_in_future');
    expect(read('1-1-0026')).toBe('date_too_old');
    expect(read('31-12-1989')).toBe('date_too_old');
    expect(read('1-1-1990')).toBe('1990-01-01');
  });
});
