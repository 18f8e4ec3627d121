import { describe, expect, it } from 'vitest';
import { maskCredentialLinks } from './mask-links.ts';

const token = 'Q2h9-_xYzAbCdEfGhIjKlMnOpQrStUvWx';

describe('masking personal links in the outbox', () => {
  it('hides the token of answer, unsubscribe and invite links, keeping the rest of the URL', () => {
    expect(maskCredentialLinks(`<a href="https://nps.example.nl/r/${token}?score=9">9</a>`)).toBe(
      '<a href="https://nps.example.nl/r/hidden?score=9">9</a>',
    );
    expect(maskCredentialLinks(`<https://nps.example.nl/u/${token}>`)).toBe(
      '<https://nps.example.nl/u/hidden>',
    );
    expect(maskCredentialLinks(`Open https://x.nl/admin/invite/${token} to join`)).toBe(
      'Open https://x.nl/admin/invite/hidden to join',
    );
    expect(maskCredentialLinks(`<https://nps.example.nl/u/digest/${token}>`)).toBe(
      '<https://nps.example.nl/u/digest/hidden>',
    );
    expect(maskCredentialLinks(`/r/${token}/thanks and /r/${token}`)).toBe(
      '/r/hidden/thanks and /r/hidden',
    );
  });

  it('leaves the anonymous survey link (printed on posters) and other text alone', () => {
    const text = `Scan https://nps.example.nl/s/${token} or see /admin/surveys/0193`;
    expect(maskCredentialLinks(text)).toBe(text);
  });
});
