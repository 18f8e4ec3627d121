import { z } from 'zod';

/** The review sites an organisation can send its customers to; `custom` is any other https page. */
export const REVIEW_SITE_KINDS = ['google', 'klantenvertellen', 'trustpilot', 'custom'] as const;
export type ReviewSiteKind = (typeof REVIEW_SITE_KINDS)[number];

/** At most this many sites: a review request is one clear ask, not a list to choose from. */
export const MAX_REVIEW_SITES = 4;

const SITE_NAMES: Record<Exclude<ReviewSiteKind, 'custom'>, string> = {
  google: 'Google',
  klantenvertellen: 'Klantenvertellen',
  trustpilot: 'Trustpilot',
};

/**
 * An address a customer is sent to: `https:` with a host, no user name or password in it (a link
 * that shows one site and logs in to another), at most 500 characters. Anything else — `http:`,
 * `javascript:`, `data:`, a relative path — is not a review page.
 */
export function isHttpsPageUrl(value: string): boolean {
  if (value.length > 500) return false;
  try {
    const url = new URL(value);
    // An https: address always has a host (the parser refuses one without).
    return (
      url.protocol === 'https:' && url.username === '' && url.password === '' && !/\s/.test(value)
    );
  } catch {
    return false;
  }
}

export const reviewSiteSchema = z
  .strictObject({
    kind: z.enum(REVIEW_SITE_KINDS),
    url: z
      .string()
      .trim()
      .min(1)
      .max(500)
      .refine(isHttpsPageUrl, { params: { problem: 'https_page_only' } }),
    /** The name shown on the button; required for `custom`, ignored for the named sites. */
    label: z.string().trim().max(60).nullable().default(null),
  })
  .superRefine((site, ctx) => {
    if (site.kind === 'custom' && !site.label) {
      ctx.addIssue({ code: 'custom', path: ['label'], params: { problem: 'required' } });
    }
  });
export type ReviewSite = z.output<typeof reviewSiteSchema>;

/** The name of a site on its button: "Google", or the organisation's own label for a custom page. */
export function reviewSiteName(site: Pick<ReviewSite, 'kind' | 'label'>): string {
  return site.kind === 'custom' ? (site.label ?? '') : SITE_NAMES[site.kind];
}

/**
 * Whether a respondent is asked for a review. Only their agreement to be contacted and the
 * organisation having chosen a site count — never the score. Asking only happy customers ("review
 * gating") misleads readers of reviews: the EU Omnibus directive requires a business to say how it
 * collects reviews, and Google's review policy forbids selective solicitation. The score is in the
 * signature on purpose, so a reader sees it is ignored; a test proves a 0 and a 10 get the same ask.
 */
export function shouldAskForReview(o: {
  score: number;
  mayContact: boolean;
  sites: readonly ReviewSite[];
}): boolean {
  return o.mayContact && o.sites.length > 0;
}
