import type { Locale } from '../../db/schema.ts';
import { hasMessage, t } from '../../i18n/messages.ts';
import { iso } from '../../shared/time.ts';
import type { VisitRow } from './visits.repository.ts';
import type { VisitJson } from './visits.schemas.ts';

/** The JSON shape of one visit; amounts in euros. */
export function presentVisit(row: VisitRow, locale: Locale): VisitJson {
  const key = `visitSkip.${row.skip_reason ?? ''}`;
  return {
    id: row.id,
    contactId: row.contact_id,
    externalId: row.external_id,
    visitedAt: iso(row.visited_at),
    kind: row.kind,
    location: row.location,
    amount: row.amount_cents / 100,
    status: row.status,
    source: row.source,
    invitation: {
      status: row.invitation_status,
      invitationId: row.invitation_id,
      skipReason: row.skip_reason,
      explanation: row.skip_detail ?? (row.skip_reason && hasMessage(key) ? t(locale, key) : null),
    },
  };
}
