import { describe, expect, it } from 'vitest';
import { DEFAULT_TEXTS } from '../modules/surveys/survey-settings.ts';
import { nl } from './messages.nl.ts';
import { nlJe } from './messages.nl-je.ts';
import { t } from './messages.ts';

/** Texts a customer reads: the email, the response and thank-you pages, unsubscribe, the poster. */
const CUSTOMER = /^(email\.|unsubscribe\.|page\.|error\.response_|error\.survey_closed)/;
const JE = /\b(je|jij|jou|jouw)\b/i;
const U = /\b(u|uw)\b/i;

const customerKeys = Object.keys(nl).filter((k) => CUSTOMER.test(k)) as (keyof typeof nl)[];

describe('the customer-facing voice: "u" or "je", never both', () => {
  it('writes every customer-facing Dutch text in the formal voice by default', () => {
    expect(customerKeys.length).toBeGreaterThan(30);
    for (const key of customerKeys) expect(nl[key], key).not.toMatch(JE);
  });

  it('has an informal text for every formal one that addresses the customer', () => {
    for (const key of customerKeys) {
      if (U.test(nl[key])) expect(Object.keys(nlJe), key).toContain(key);
    }
  });

  it('keeps the informal texts informal, and only for customer-facing keys', () => {
    for (const [key, text] of Object.entries(nlJe)) {
      expect(key).toMatch(CUSTOMER);
      expect(text, key).not.toMatch(U);
    }
  });

  it('picks the voice by the organisation’s choice, in Dutch only', () => {
    expect(t('nl', 'unsubscribe.done_title')).toBe('U bent afgemeld');
    expect(t('nl', 'unsubscribe.done_title', {}, 'je')).toBe('Je bent afgemeld');
    expect(t('en', 'unsubscribe.done_title', {}, 'je')).toBe(t('en', 'unsubscribe.done_title'));
  });

  it('gives the default survey texts the same two voices', () => {
    for (const [key, text] of Object.entries(DEFAULT_TEXTS.nl.u)) {
      expect(text, key).not.toMatch(JE);
    }
    for (const [key, text] of Object.entries(DEFAULT_TEXTS.nl.je)) {
      expect(text, key).not.toMatch(U);
    }
  });
});
