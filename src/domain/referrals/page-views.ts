/**
 * What counts as a visit to a friend's page (the link an ambassador shares): a person opening it.
 * The count feeds the programme's figures — "friend-page visits" on the dashboard and an
 * ambassador's card, and sign-ups per visit (`funnelRates`) — so it should count people, not the
 * software that looks at a link. No fraud rule reads it.
 *
 * Not a visit:
 * - a HEAD request (it fetches no page);
 * - a request without a User-Agent (every browser sends one; scripts often do not);
 * - the fetchers that draw a link's preview card the moment it is pasted or shared, before anyone
 *   taps it, and the crawlers of the same companies: `LINK_PREVIEW_AGENTS`;
 * - a browser's prefetch or prerender: the page fetched ahead in case someone opens it (a link
 *   in a search result, a hovered link, a speculation rule), said by `isPrefetch`.
 *
 * The list is short on purpose: the apps people share a link in. Each pattern names a fetcher, not
 * an app's in-app browser (Facebook's "FBAN", Instagram's, Telegram's "Telegram-Android",
 * LinkedIn's "LinkedInApp" are people and do count), and none is a bare "bot", which phone names
 * such as "CUBOT" contain. A fetcher missing here counts as a visit, as before.
 */
export const LINK_PREVIEW_AGENTS: readonly { name: string; pattern: RegExp }[] = [
  // WhatsApp's preview fetcher; Signal sends the same name for its previews.
  { name: 'WhatsApp', pattern: /^WhatsApp\//i },
  // Facebook, Messenger, Instagram; Apple's iMessage preview sends these names too.
  { name: 'Facebook', pattern: /facebookexternalhit|\bFacebot\b|meta-externalagent/i },
  { name: 'Slack', pattern: /Slackbot|Slack-ImgProxy/i },
  // Telegram's fetcher says "like TwitterBot": it comes first.
  { name: 'Telegram', pattern: /TelegramBot/i },
  { name: 'Twitter/X', pattern: /Twitterbot/i },
  // Microsoft Teams and Skype ("SkypeUriPreview"), Outlook and Teams' newer fetcher.
  { name: 'Microsoft Teams', pattern: /SkypeUriPreview|MicrosoftPreview/i },
  { name: 'Discord', pattern: /Discordbot/i },
  { name: 'LinkedIn', pattern: /LinkedInBot/i },
  // Google's crawler and the snippet fetcher of its chat and sharing previews.
  {
    name: 'Google',
    pattern: /Googlebot|Google-PageRenderer|GoogleOther|developers\.google\.com\/\+\/web\/snippet/i,
  },
  { name: 'Bing', pattern: /bingbot|BingPreview/i },
  { name: 'Apple', pattern: /Applebot/i },
  { name: 'Pinterest', pattern: /Pinterestbot/i },
  { name: 'Mastodon', pattern: /\bMastodon\//i },
  { name: 'Bluesky', pattern: /Cardyb/i },
  { name: 'Embedly', pattern: /Embedly|Iframely/i },
];

/** The link-preview fetcher or crawler a User-Agent names, or null (a browser, presumably). */
export function linkPreviewAgent(userAgent: string): string | null {
  return LINK_PREVIEW_AGENTS.find((a) => a.pattern.test(userAgent))?.name ?? null;
}

/** Request headers by lower-case name, as Node gives them. */
export type RequestHeaders = Readonly<Record<string, string | readonly string[] | undefined>>;

/**
 * The headers and values a browser marks a prefetch with: `Sec-Purpose: prefetch` (Chrome and
 * the Fetch standard, also `prefetch;prerender` and `prefetch;anonymous-client-ip`), and the
 * older `Purpose: prefetch` (Chrome, Safari), `X-Purpose: preview` (Safari's Top Sites) and
 * `X-Moz: prefetch` (Firefox).
 */
const PREFETCH_MARKS: readonly { header: string; values: readonly string[] }[] = [
  { header: 'sec-purpose', values: ['prefetch'] },
  { header: 'purpose', values: ['prefetch', 'preview'] },
  { header: 'x-purpose', values: ['prefetch', 'preview'] },
  { header: 'x-moz', values: ['prefetch'] },
];

/** Whether the request is a browser's prefetch or prerender rather than someone opening the page. */
export function isPrefetch(headers: RequestHeaders): boolean {
  return PREFETCH_MARKS.some(({ header, values }) => {
    const value = headers[header];
    const all = typeof value === 'string' ? [value] : (value ?? []);
    // A structured list ("prefetch;prerender", "prefetch, x"): any of its tokens.
    const tokens = all.flatMap((v) =>
      v
        .toLowerCase()
        .split(/[;,]/)
        .map((p) => p.trim()),
    );
    return tokens.some((token) => values.includes(token));
  });
}

/** Whether a request for a friend's page is a person's visit (see above). */
export function isFriendPageVisit(request: {
  method: string;
  userAgent: string | undefined;
  headers?: RequestHeaders;
}): boolean {
  if (request.method.toUpperCase() !== 'GET') return false;
  if (request.headers && isPrefetch(request.headers)) return false;
  const agent = request.userAgent?.trim();
  return !!agent && linkPreviewAgent(agent) === null;
}
