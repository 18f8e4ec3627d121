import { describe, expect, it } from 'vitest';
import { fieldMessage } from './errors.ts';

describe('field messages', () => {
  it('reads a contact without email or customer number as a sentence, in Dutch and English', () => {
    const issue = { field: 'email', problem: 'missing_identity' };
    expect(fieldMessage(issue, 'nl', 'contacts')).toBe(
      'E-mailadres ontbreekt, en er is ook geen klantnummer: zo is de klant niet te herkennen',
    );
    expect(fieldMessage(issue, 'en', 'contacts')).toBe(
      'Email address is missing, and so is the customer number: the customer cannot be recognised',
    );
  });

  it('tells an import whose columns cannot identify anyone which columns it lacks', () => {
    const issue = { field: 'mapping', problem: 'missing_identity' };
    expect(fieldMessage(issue, 'nl', 'imports')).toBe(
      'Koppeling van de kolommen heeft geen kolom voor het e-mailadres of het klantnummer: zo zijn de klanten niet te herkennen',
    );
    expect(fieldMessage(issue, 'en', 'imports')).toBe(
      'Column mapping has no column for the email address or the customer number: the customers cannot be recognised',
    );
  });

  it('puts the label before the problem', () => {
    expect(fieldMessage({ field: 'name', problem: 'required' }, 'nl', 'contacts')).toBe(
      'Naam is verplicht',
    );
  });
});
