import { describe, expect, it } from 'vitest';
import {
  isHttpsPageUrl,
  reviewSiteName,
  reviewSiteSchema,
  shouldAskForReview,
  type ReviewSite,
} from './review-sites.ts';

const google: ReviewSite = { kind: 'google', url: 'https://g.page/r/abc/review', label: null };

describe('review site addresses', () => {
  it.each([
    'https://g.page/r/CdEf123/review',
    'https://www.klantenvertellen.nl/reviews/1234/garage_de_vries',
    'https://nl.trustpilot.com/evaluate/garagedevries.nl',
    'https://example.com/review?x=1#top',
  ])('accepts the https page %s', (url) => {
    expect(isHttpsPageUrl(url)).toBe(true);
  });

  it.each([
    ['plain http', 'http://g.page/r/abc/review'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,<h1>x</h1>'],
    ['relative', '/reviews'],
    ['no scheme', 'g.page/r/abc'],
    ['credentials', 'https://user:pw@evil.example/'],
    ['user only', 'https://google.com@evil.example/'],
    ['spaces', 'https://exa mple.com/'],
    ['empty', ''],
    ['too long', `https://example.com/${'a'.repeat(490)}`],
  ])('refuses %s', (_name, url) => {
    expect(isHttpsPageUrl(url)).toBe(false);
  });

  it('names the problem https_page_only on the url field', () => {
    const r = reviewSiteSchema.safeParse({ kind: 'google', url: 'http://g.page/x' });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.path).toEqual(['url']);
    expect(r.error?.issues[0]).toMatchObject({ params: { problem: 'https_page_only' } });
  });

  it('requires a label for a custom page only', () => {
    const custom = reviewSiteSchema.safeParse({ kind: 'custom', url: 'https://x.nl/r' });
    expect(custom.success).toBe(false);
    expect(custom.error?.issues[0]).toMatchObject({
      code: 'custom',
      path: ['label'],
      params: { problem: 'required' },
    });
    expect(
      reviewSiteSchema.parse({ kind: 'custom', url: 'https://x.nl/r', label: ' Onze site ' }),
    ).toEqual({ kind: 'custom', url: 'https://x.nl/r', label: 'Onze site' });
    expect(reviewSiteSchema.parse({ kind: 'trustpilot', url: 'https://t.com/x' }).label).toBe(null);
  });

  it('takes a page address of up to 500 characters and no more', () => {
    const base = 'https://www.klantenvertellen.nl/reviews/';
    const at500 = base + 'x'.repeat(500 - base.length);
    expect(isHttpsPageUrl(at500)).toBe(true);
    expect(isHttpsPageUrl(at500 + 'x')).toBe(false);
  });

  it('refuses a password in the address even without a user name', () => {
    expect(isHttpsPageUrl('https://:geheim@g.page/r/abc')).toBe(false);
    expect(isHttpsPageUrl('https://g.page/r/abc')).toBe(true);
  });

  it('names the named sites itself and a custom page by its label', () => {
    expect(reviewSiteName(google)).toBe('Google');
    expect(reviewSiteName({ kind: 'klantenvertellen', label: 'ignored' })).toBe('Klantenvertellen');
    expect(reviewSiteName({ kind: 'trustpilot', label: null })).toBe('Trustpilot');
    expect(reviewSiteName({ kind: 'custom', label: 'Onze reviews' })).toBe('Onze reviews');
  });
});

describe('who is asked for a review: no review gating', () => {
  it('asks every respondent who agreed to be contacted, whatever the score', () => {
    const asked = Array.from({ length: 11 }, (_, score) =>
      shouldAskForReview({ score, mayContact: true, sites: [google] }),
    );
    expect(asked).toEqual(Array(11).fill(true));
  });

  it('asks nobody who did not agree to be contacted, and nobody when no site is chosen', () => {
    for (const score of [0, 6, 10]) {
      expect(shouldAskForReview({ score, mayContact: false, sites: [google] })).toBe(false);
      expect(shouldAskForReview({ score, mayContact: true, sites: [] })).toBe(false);
    }
  });
});
