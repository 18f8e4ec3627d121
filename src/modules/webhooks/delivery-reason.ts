/**
 * Why a webhook delivery attempt did not succeed, as a stable code. The sender and the job store a
 * readable English text (`webhook_attempts.error`, `webhook_deliveries.last_error`) and the status
 * code; this reads them back as a code the admin app translates through its message catalogues
 * (`webhooks.reason.<code>`), so a Dutch owner reads why in Dutch. Pure: stored rows of any age
 * map, and what is not recognised is `other`, with its text kept.
 */
export const DELIVERY_REASON_CODES = [
  'http_status',
  'timeout',
  'connection_refused',
  'connection_reset',
  'dns_failed',
  'tls_failed',
  'refused_address',
  'invalid_url',
  'endpoint_disabled',
  'not_tried_unreachable',
  'other',
] as const;

export type DeliveryReasonCode = (typeof DELIVERY_REASON_CODES)[number];

export interface DeliveryReason {
  code: DeliveryReasonCode;
  /** What happened, in English, as stored (or `HTTP <status>` for an error status). */
  text: string;
}

const PATTERNS: readonly [RegExp, DeliveryReasonCode][] = [
  [/^not tried: no answer since/i, 'not_tried_unreachable'],
  [/^endpoint disabled|endpoint disabled$/i, 'endpoint_disabled'],
  [/^invalid URL/i, 'invalid_url'],
  [/^refused address/i, 'refused_address'],
  [/^DNS:|ENOTFOUND|EAI_AGAIN/i, 'dns_failed'],
  [/no answer within|ETIMEDOUT|timed? ?out/i, 'timeout'],
  [/ECONNREFUSED/i, 'connection_refused'],
  [/ECONNRESET|socket hang up|EPIPE/i, 'connection_reset'],
  [/certificate|SSL|TLS|self[- ]signed|altnames/i, 'tls_failed'],
  [/^HTTP \d{3}/, 'http_status'],
];

/**
 * The reason of one attempt (or a delivery's last one): null when it succeeded (a 2xx answer and
 * no error), `http_status` for any other answer, else the code its stored text matches.
 */
export function deliveryReason(
  error: string | null,
  statusCode: number | null,
): DeliveryReason | null {
  if (error) {
    const code = PATTERNS.find(([pattern]) => pattern.test(error))?.[1] ?? 'other';
    return { code, text: error };
  }
  if (statusCode === null || (statusCode >= 200 && statusCode < 300)) return null;
  return { code: 'http_status', text: `HTTP ${statusCode}` };
}
