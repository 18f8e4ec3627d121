/**
 * Why Loyaal itself turned a webhook endpoint off, as the stable code it stores in
 * `webhook_endpoints.disabled_reason` (staff turning it off store none). The admin app translates
 * each code through its message catalogues (`webhooks.disabledReason.<code>`), and that key is
 * type-checked: a code added here without its text in both catalogues does not compile.
 *
 * - `gone`: a delivery was answered 410 Gone — the receiver wants no more messages
 *   (`judgeAnswer` in domain/webhooks).
 */
export const ENDPOINT_DISABLED_REASONS = ['gone'] as const;

export type EndpointDisabledReason = (typeof ENDPOINT_DISABLED_REASONS)[number];

/** A stored reason as the admin app reads it: `other` for one this version does not know. */
export type EndpointDisabledCode = EndpointDisabledReason | 'other';

/**
 * The code of a stored reason: null when none is stored, `other` when the column holds a value
 * this version has no text for (written by another version, or by hand), which the screen then
 * shows as stored. Pure: rows of any age map.
 */
export function endpointDisabledCode(stored: string | null): EndpointDisabledCode | null {
  if (stored === null) return null;
  return (ENDPOINT_DISABLED_REASONS as readonly string[]).includes(stored)
    ? (stored as EndpointDisabledReason)
    : 'other';
}
