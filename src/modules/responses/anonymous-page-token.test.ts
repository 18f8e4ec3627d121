import { describe, expect, it } from 'vitest';
import {
  anonymousPageKey,
  anonymousPageLoadOf,
  issueAnonymousPageToken,
  PAGE_TOKEN_MAX_AGE_MS,
} from './anonymous-page-token.ts';

const key = anonymousPageKey(Buffer.alloc(32, 7));
const LINK = 'anonymousLinkToken1234';
const NOW = Date.UTC(2026, 10, 20, 9, 0, 0);

describe('the anonymous form’s page-load token', () => {
  it('gives every page load its own id, for its own link only', () => {
    const a = issueAnonymousPageToken(key, LINK, NOW);
    const b = issueAnonymousPageToken(key, LINK, NOW);
    const idA = anonymousPageLoadOf(key, a, LINK, NOW + 1000);
    expect(idA).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(anonymousPageLoadOf(key, b, LINK, NOW + 1000)).not.toBe(idA);
    expect(anonymousPageLoadOf(key, a, 'anotherLinkToken123456', NOW)).toBeNull();
  });

  it('is nothing when missing, malformed, forged, signed with another key, stale or from the future', () => {
    const token = issueAnonymousPageToken(key, LINK, NOW);
    expect(anonymousPageLoadOf(key, undefined, LINK, NOW)).toBeNull();
    expect(anonymousPageLoadOf(key, '', LINK, NOW)).toBeNull();
    expect(anonymousPageLoadOf(key, ['x'], LINK, NOW)).toBeNull();
    expect(anonymousPageLoadOf(key, `${token}x`, LINK, NOW)).toBeNull();
    const parts = token.split('.');
    const otherId = [parts[0], parts[1], 'A'.repeat(22), parts[3]].join('.');
    expect(anonymousPageLoadOf(key, otherId, LINK, NOW)).toBeNull();
    const otherKey = anonymousPageKey(Buffer.alloc(32, 8));
    expect(anonymousPageLoadOf(otherKey, token, LINK, NOW)).toBeNull();
    expect(anonymousPageLoadOf(key, token, LINK, NOW + PAGE_TOKEN_MAX_AGE_MS)).not.toBeNull();
    expect(anonymousPageLoadOf(key, token, LINK, NOW + PAGE_TOKEN_MAX_AGE_MS + 1)).toBeNull();
    const ahead = issueAnonymousPageToken(key, LINK, NOW + 60 * 60 * 1000);
    expect(anonymousPageLoadOf(key, ahead, LINK, NOW)).toBeNull();
  });

  it('signs with a random key of this process when there is no SECRET_KEY', () => {
    expect(anonymousPageKey(null)).toBe(anonymousPageKey(null));
    expect(anonymousPageKey(null)).not.toEqual(key);
  });
});
