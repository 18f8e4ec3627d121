import { describe, expect, it } from 'vitest';
import { fillText } from './fill-text.ts';

describe('filling a survey text', () => {
  it('puts in the organisation, the employee and the first name', () => {
    expect(
      fillText('Beste {firstName}, hoe vond u {employee} van {organisation}?', {
        organisation: 'Garage De Vries',
        employee: 'Sanne',
        firstName: ' Anna ',
      }),
    ).toBe('Beste Anna, hoe vond u Sanne van Garage De Vries?');
    // Without an employee, the organisation answers for them.
    expect(fillText('{employee}', { organisation: 'Garage De Vries' })).toBe('Garage De Vries');
  });

  it('leaves out a missing first name with the comma it leaves behind', () => {
    expect(
      fillText('{firstName}, wat vindt u van {organisation}?', { organisation: 'Bakker' }),
    ).toBe('Wat vindt u van Bakker?');
    expect(
      fillText('Beste {firstName}, bedankt!', { organisation: 'Bakker', firstName: '  ' }),
    ).toBe('Beste, bedankt!');
  });

  it('takes names as text: no $ patterns, no placeholders inside a value', () => {
    expect(
      fillText('Beste {firstName}, hoe vond u {organisation}?', {
        organisation: 'Cash $& Carry',
        firstName: "Jan$'",
      }),
    ).toBe("Beste Jan$', hoe vond u Cash $& Carry?");
    expect(
      fillText('{organisation} en {employee}', {
        organisation: 'De {employee} Winkel $$',
        employee: '$1 Piet',
      }),
    ).toBe('De {employee} Winkel $$ en $1 Piet');
    // Without a first name: a "{firstName}" inside the organisation's name is left alone.
    expect(
      fillText('{firstName}, hoe vond u {organisation}?', { organisation: 'Bar {firstName}' }),
    ).toBe('Hoe vond u Bar {firstName}?');
  });
});
