/**
 * What a visit or purchase is, whichever door it came in by (import, API, the contact's page).
 *
 * - `completed`: the customer came (a workshop job done, an order delivered): counts as a visit,
 *   its amount as revenue, and it can trigger an invitation.
 * - `cancelled`: booked but not held: kept for the record, counts for nothing.
 * - `refund`: money back (a credit note): its amount is negative revenue; it is not a visit.
 *
 * A negative amount is only possible for a refund: a minus sign on an ordinary visit is far more
 * often a column mix-up than a credit note, so it is rejected with its reason instead of quietly
 * lowering the revenue.
 */
/** Lower case, accents off, spaces collapsed (the domain core imports nothing outside it). */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase().replace(/\s+/g, ' ').trim();
}

export const VISIT_STATUSES = ['completed', 'cancelled', 'refund'] as const;
export type VisitStatus = (typeof VISIT_STATUSES)[number];

const STATUS_WORDS: Record<VisitStatus, readonly string[]> = {
  completed: [
    '',
    'afgerond',
    'voltooid',
    'gereed',
    'klaar',
    'betaald',
    'geleverd',
    // As workshop and accounting systems export a finished, invoiced job.
    'gefactureerd',
    'gefaktureerd',
    'afgehandeld',
    'uitgevoerd',
    'voldaan',
    'done',
    'completed',
    'complete',
    'paid',
    'delivered',
    'ok',
  ],
  cancelled: [
    'geannuleerd',
    'annulering',
    'vervallen',
    'afgezegd',
    'nietverschenen',
    'noshow',
    'cancelled',
    'canceled',
    'cancellation',
    'void',
  ],
  refund: [
    'retour',
    'retourzending',
    'terugbetaling',
    'terugbetaald',
    'creditnota',
    'credit',
    'creditering',
    'restitutie',
    'refund',
    'refunded',
    'return',
  ],
};

const STATUS_BY_WORD = new Map<string, VisitStatus>(
  VISIT_STATUSES.flatMap((status) => STATUS_WORDS[status].map((word) => [word, status] as const)),
);

/** `Geannuleerd`, `no-show`, `Creditnota`, `Retour`, empty (= completed) … → status; else null. */
export function parseVisitStatus(text: string): VisitStatus | null {
  return STATUS_BY_WORD.get(fold(text).replace(/[^a-z]/g, '')) ?? null;
}

/** The key a kind is matched by: case, accents and spacing fold ("APK " is "apk"), nothing more. */
export function kindKey(kind: string): string {
  return fold(kind);
}

export const MAX_KIND_LENGTH = 50;

/**
 * The amount as stored for a status: a refund is always negative (`Retour` with `12,50` or with
 * `-12,50` both mean € 12,50 back); a cancelled visit keeps its amount for the record but it never
 * counts. Returns a problem code for a negative amount on anything but a refund.
 */
export function amountForStatus(
  cents: number,
  status: VisitStatus,
): { ok: true; cents: number } | { ok: false; problem: 'amount_negative' } {
  if (status === 'refund') return { ok: true, cents: -Math.abs(cents) };
  if (cents < 0) return { ok: false, problem: 'amount_negative' };
  return { ok: true, cents };
}
