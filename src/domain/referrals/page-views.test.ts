import { describe, expect, it } from 'vitest';
import {
  isFriendPageVisit,
  isPrefetch,
  LINK_PREVIEW_AGENTS,
  linkPreviewAgent,
} from './page-views.ts';

/** User-Agents as the fetchers send them, and the name each is known by. */
const FETCHERS: [string, string][] = [
  ['WhatsApp/2.24.12.78 A', 'WhatsApp'],
  ['WhatsApp/2.2329.9 i', 'WhatsApp'],
  ['facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)', 'Facebook'],
  ['facebookexternalhit/1.1', 'Facebook'],
  ['Facebot', 'Facebook'],
  [
    'meta-externalagent/1.1 (+https://developers.facebook.com/docs/sharing/webmasters/crawler)',
    'Facebook',
  ],
  // iMessage's link preview.
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0',
    'Facebook',
  ],
  ['Twitterbot/1.0', 'Twitter/X'],
  ['Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)', 'Slack'],
  ['Slackbot 1.0 (+https://api.slack.com/robots)', 'Slack'],
  ['Slack-ImgProxy (+https://api.slack.com/robots)', 'Slack'],
  ['TelegramBot (like TwitterBot)', 'Telegram'],
  [
    'Mozilla/5.0 (Windows NT 6.1; WOW64) SkypeUriPreview Preview/0.5 skype-url-preview@microsoft.com',
    'Microsoft Teams',
  ],
  [
    'Mozilla/5.0 (compatible; MicrosoftPreview/2.0; +https://aka.ms/MicrosoftPreview)',
    'Microsoft Teams',
  ],
  ['Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)', 'Discord'],
  [
    'LinkedInBot/1.0 (compatible; Mozilla/5.0; Apache-HttpClient +http://www.linkedin.com)',
    'LinkedIn',
  ],
  [
    'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
    'Google',
  ],
  [
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/56.0.2924.87 Safari/537.36 Google (+https://developers.google.com/+/web/snippet/)',
    'Google',
  ],
  ['Mozilla/5.0 (compatible; Google-PageRenderer; +https://developers.google.com/)', 'Google'],
  ['GoogleOther', 'Google'],
  ['Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)', 'Bing'],
  [
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.1.1 Safari/605.1.15 (Applebot/0.1; +http://www.apple.com/go/applebot)',
    'Apple',
  ],
  ['Mozilla/5.0 (compatible; Pinterestbot/1.0; +http://www.pinterest.com/bot.html)', 'Pinterest'],
  ['http.rb/5.1.1 (Mastodon/4.2.10; +https://mastodon.social/)', 'Mastodon'],
  ['Mozilla/5.0 (compatible; Bluesky Cardyb/1.1; +mailto:support@bsky.app)', 'Bluesky'],
  ['Mozilla/5.0 (compatible; Embedly/0.2; +http://support.embed.ly/)', 'Embedly'],
  ['Iframely/1.3.1 (+https://iframely.com/docs/about)', 'Embedly'],
];

/** People: browsers, and the in-app browsers of the same apps. */
const PEOPLE = [
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.122 Mobile Safari/537.36',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:127.0) Gecko/20100101 Firefox/127.0',
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36 Edg/126.0.0.0',
  'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36',
  // A phone whose name holds "bot".
  'Mozilla/5.0 (Linux; Android 10; CUBOT X30) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Mobile Safari/537.36',
  // Facebook's, Instagram's, Telegram's and LinkedIn's in-app browsers: a person who tapped.
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/470.0.0.40.97;FBBV/612345;FBDV/iPhone15,2;FBMD/iPhone;FBSN/iOS;FBSV/17.5;FBSS/3;FBID/phone;FBLC/nl_NL;FBOP/5]',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.122 Mobile Safari/537.36 Instagram 337.0.0.35.102 Android',
  'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/AP2A; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/126.0.6478.122 Mobile Safari/537.36 Telegram-Android/10.14.5',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148 [LinkedInApp]/9.29.8960',
  // Google's own app on a phone is a person too.
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) GSA/323.0.647062479 Mobile/15E148 Safari/604.1',
];

describe('visits to a friend’s page', () => {
  describe('link-preview fetchers and crawlers', () => {
    it.each(FETCHERS)('knows %s as %s', (agent, name) => {
      expect(linkPreviewAgent(agent)).toBe(name);
      expect(isFriendPageVisit({ method: 'GET', userAgent: agent })).toBe(false);
    });

    it('knows every fetcher in the list by at least one example here', () => {
      const named = new Set(FETCHERS.map(([, name]) => name));
      expect(LINK_PREVIEW_AGENTS.map((a) => a.name).filter((n) => !named.has(n))).toEqual([]);
    });

    it('reads a name whatever its case', () => {
      expect(linkPreviewAgent('WHATSAPP/2.0')).toBe('WhatsApp');
      expect(linkPreviewAgent('slackbot-linkexpanding 1.0')).toBe('Slack');
    });
  });

  describe('people', () => {
    it.each(PEOPLE)('counts %s', (agent) => {
      expect(linkPreviewAgent(agent)).toBeNull();
      expect(isFriendPageVisit({ method: 'GET', userAgent: agent })).toBe(true);
    });

    it('does not take a browser that mentions WhatsApp later on for its fetcher', () => {
      const agent = `${PEOPLE[1]} WhatsApp/2.24`;
      expect(isFriendPageVisit({ method: 'GET', userAgent: agent })).toBe(true);
    });
  });

  it('counts GET only: HEAD fetches no page', () => {
    const agent = PEOPLE[0];
    expect(isFriendPageVisit({ method: 'HEAD', userAgent: agent })).toBe(false);
    expect(isFriendPageVisit({ method: 'head', userAgent: agent })).toBe(false);
    expect(isFriendPageVisit({ method: 'POST', userAgent: agent })).toBe(false);
    expect(isFriendPageVisit({ method: 'get', userAgent: agent })).toBe(true);
  });

  describe('prefetches: a browser fetching the page ahead, in case someone opens it', () => {
    const agent = PEOPLE[1];
    it.each([
      { 'sec-purpose': 'prefetch' },
      { 'sec-purpose': 'prefetch;prerender' },
      { 'sec-purpose': 'prefetch;anonymous-client-ip' },
      { 'sec-purpose': 'Prefetch' },
      { purpose: 'prefetch' },
      { 'x-purpose': 'preview' },
      { 'x-purpose': 'prefetch' },
      { 'x-moz': 'prefetch' },
      { 'x-moz': ['prefetch'] },
    ])('does not count %o', (headers) => {
      expect(isPrefetch(headers)).toBe(true);
      expect(isFriendPageVisit({ method: 'GET', userAgent: agent, headers })).toBe(false);
    });

    it.each([{}, { 'sec-purpose': '' }, { purpose: 'navigate' }, { 'x-moz': 'something-else' }])(
      'counts an ordinary request (%o)',
      (headers) => {
        expect(isPrefetch(headers)).toBe(false);
        expect(isFriendPageVisit({ method: 'GET', userAgent: agent, headers })).toBe(true);
      },
    );
  });

  it('does not count a request without a User-Agent', () => {
    expect(isFriendPageVisit({ method: 'GET', userAgent: undefined })).toBe(false);
    expect(isFriendPageVisit({ method: 'GET', userAgent: '' })).toBe(false);
    expect(isFriendPageVisit({ method: 'GET', userAgent: ' \t ' })).toBe(false);
  });
});
