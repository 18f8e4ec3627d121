import { describe, expect, it } from 'vitest';
import { detectDelimiter } from './detect-delimiter.ts';

describe('detectDelimiter', () => {
  it('finds the Dutch Excel semicolon', () => {
    expect(detectDelimiter('Naam;E-mailadres;Telefoon\nJan;jan@x.nl;06\n')).toBe(';');
  });

  it('finds the comma of a CRM export', () => {
    expect(detectDelimiter('Name,Email,Phone\r\nJan,jan@x.nl,06\r\n')).toBe(',');
  });

  it('finds tabs', () => {
    expect(detectDelimiter('Naam\tE-mail\tTaal\n')).toBe('\t');
  });

  it('ignores delimiters inside quotes', () => {
    expect(detectDelimiter('"Naam, volledig";"Adres, woonplaats";Taal\n')).toBe(';');
    expect(detectDelimiter('"Naam;achternaam",E-mail\n')).toBe(',');
  });

  it('breaks a tie with the next lines', () => {
    expect(detectDelimiter('Naam;Adres, plaats\nJan;Dorpsstraat 1, Ede\n')).toBe(';');
    expect(detectDelimiter('Naam,Adres; plaats\nJan,"Dorpsstraat 1; Ede"\nPiet,Kerkweg 2\n')).toBe(
      ',',
    );
  });

  it('prefers the semicolon when nothing decides', () => {
    expect(detectDelimiter('Naam;Adres, plaats\n')).toBe(';');
    expect(detectDelimiter('E-mailadres\njan@example.nl\n')).toBe(';');
    expect(detectDelimiter('')).toBe(';');
  });

  it('lets the data decide for a one-column header', () => {
    expect(detectDelimiter('E-mailadres\njan@example.nl,Jan\npiet@example.nl,Piet\n')).toBe(',');
  });

  it('skips blank lines before the header', () => {
    expect(detectDelimiter('\n\r\nName,Email\n')).toBe(',');
  });
});
