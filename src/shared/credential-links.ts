/**
 * The public paths whose next segment is a token, in one list: the request log masks every one of
 * them, the outbox the personal ones. Longer paths come first (`/u/digest/` before `/u/`).
 *
 * Personal credentials act as one person: `/r/` answers a survey as the customer, `/u/` unsubscribes
 * them (`/rv/` from review requests only, `/u/digest/` a member from the weekly digest), `/a/` is an
 * ambassador's own page, `/v/` a friend's voucher, `/k/` a counter's redeem screen, and the invite
 * links make a staff account. Shared links are meant to be passed on (`/s/` a survey's anonymous
 * link on a poster, `/f/` an ambassador's link for friends), but a log that keeps them tells who
 * came through whose link, so the log masks them too.
 */
const PERSONAL_LINK_PATHS = [
  'api/v1/public/invites',
  'admin/invite',
  'u/digest',
  'rv',
  'r',
  'u',
  'a',
  'v',
  'k',
] as const;
const SHARED_LINK_PATHS = ['s', 'f'] as const;

const escape = (path: string): string => path.replaceAll('/', '\\/');
// A token is URL-safe base64; `*` too, so that masking twice leaves `/u/digest/***` as it is.
const linkPattern = (paths: readonly string[]): RegExp =>
  new RegExp(`(\\/(?:${paths.map(escape).join('|')})\\/)[A-Za-z0-9_*-]+`, 'g');

const PERSONAL_LINK = linkPattern(PERSONAL_LINK_PATHS);
const ANY_LINK = linkPattern([...PERSONAL_LINK_PATHS, ...SHARED_LINK_PATHS]);

/** Replaces the token of every personal link in `text` (an email, a header) by `placeholder`. */
export function maskPersonalLinks(text: string, placeholder: string): string {
  return text.replace(PERSONAL_LINK, `$1${placeholder}`);
}

/** Replaces the token of every public link in `text` — personal or shared — by `placeholder`. */
export function maskAllPublicLinks(text: string, placeholder: string): string {
  return text.replace(ANY_LINK, `$1${placeholder}`);
}
