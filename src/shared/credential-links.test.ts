import { describe, expect, it } from 'vitest';
import { maskAllPublicLinks, maskPersonalLinks } from './credential-links.ts';

const token = 'Q2h9-_xYzAbCdEfGhIjKlMnOpQrStUvWx';

describe('public links with a token', () => {
  it('masks every personal link, keeping the route, the rest of the path and the query', () => {
    for (const path of ['r', 'u', 'rv', 'u/digest', 'a', 'v', 'k', 'admin/invite']) {
      expect(maskPersonalLinks(`https://x.nl/${path}/${token}/thanks?score=9`, '•')).toBe(
        `https://x.nl/${path}/•/thanks?score=9`,
      );
    }
    expect(maskPersonalLinks(`/api/v1/public/invites/${token}/accept`, '•')).toBe(
      '/api/v1/public/invites/•/accept',
    );
  });

  it('leaves shared links to the outbox but masks them everywhere else', () => {
    const shared = `Scan https://x.nl/s/${token} or share https://x.nl/f/${token}`;
    expect(maskPersonalLinks(shared, '•')).toBe(shared);
    expect(maskAllPublicLinks(shared, '•')).toBe('Scan https://x.nl/s/• or share https://x.nl/f/•');
  });

  it('stops at the end of the token inside a JSON log line', () => {
    expect(maskAllPublicLinks(`{"url":"/u/digest/${token}","remoteAddress":"::1"}`, '***')).toBe(
      '{"url":"/u/digest/***","remoteAddress":"::1"}',
    );
  });

  it('is the same when applied twice', () => {
    const once = maskAllPublicLinks(`/u/digest/${token} /a/${token}`, '***');
    expect(once).toBe('/u/digest/*** /a/***');
    expect(maskAllPublicLinks(once, '***')).toBe(once);
  });

  it('leaves staff paths alone (their ids are not credentials)', () => {
    const text = '/api/v1/contacts/0193-abc?q=celik /admin/surveys/x /api/v1/analytics/nps';
    expect(maskAllPublicLinks(text, '•')).toBe(text);
  });
});
