import { describe, expect, it } from 'vitest';
import { chooseGreeting, parseTitle, readSalutation, surnameForSalutation } from './greeting.ts';

describe('greeting a customer', () => {
  it('uses an imported salutation first, as written, without a trailing comma', () => {
    expect(
      chooseGreeting({ firstName: 'Ingrid', salutation: 'Geachte mevrouw Van der Vos,' }),
    ).toEqual({ kind: 'salutation', text: 'Geachte mevrouw Van der Vos' });
  });

  it('uses the first name when there is no salutation', () => {
    expect(chooseGreeting({ firstName: '  Ingrid ', salutation: null })).toEqual({
      kind: 'firstName',
      name: 'Ingrid',
    });
  });

  it('greets without a name when it knows neither, and never uses the full name', () => {
    expect(chooseGreeting({ firstName: null, salutation: '  ' })).toEqual({ kind: 'anonymous' });
    expect(chooseGreeting({ firstName: '', salutation: null })).toEqual({ kind: 'anonymous' });
  });
});

describe('reading an "Aanhef" column', () => {
  it.each([
    ['heer', 'mr'],
    ['De heer', 'mr'],
    ['Dhr.', 'mr'],
    ['dhr', 'mr'],
    ['Mr.', 'mr'],
    ['mevrouw', 'ms'],
    ['Mevr.', 'ms'],
    ['Mw.', 'ms'],
    ['Mrs', 'ms'],
    ['Ms.', 'ms'],
  ])('recognises "%s" as a title', (value, title) => {
    expect(parseTitle(value)).toBe(title);
  });

  it('keeps a whole salutation line as written', () => {
    expect(readSalutation({ salutation: 'Beste Ingrid', infix: null, lastName: 'Vos' })).toEqual({
      kind: 'line',
      text: 'Beste Ingrid',
    });
    expect(parseTitle('Geachte heer Jansen')).toBeNull();
  });

  it('completes a bare title with the surname, capitalising the infix as Dutch does', () => {
    expect(readSalutation({ salutation: 'dhr.', infix: 'van der', lastName: 'Vos' })).toEqual({
      kind: 'title',
      title: 'mr',
      surname: 'Van der Vos',
    });
    expect(surnameForSalutation(null, 'jansen')).toBe('Jansen');
    expect(surnameForSalutation("'t", 'Hof')).toBe("'t Hof");
  });

  it('drops a title without a last name: "Geachte heer ," greets nobody', () => {
    expect(readSalutation({ salutation: 'Mevrouw', infix: null, lastName: ' ' })).toBeNull();
    expect(readSalutation({ salutation: '', infix: null, lastName: 'Vos' })).toBeNull();
  });
});
