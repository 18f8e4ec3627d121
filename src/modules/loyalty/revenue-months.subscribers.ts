import {
  revenueMonthChanges,
  sumRevenueMonths,
  type CountedVisit,
} from '../../domain/loyalty/revenue-months.ts';
import { inTransaction } from '../../platform/events/define-event.ts';
import { visitRecorded, type VisitRecorded } from '../visits/visits.events.ts';
import { addRevenueMonths, visitsOfContacts } from './revenue-months.repository.ts';

function byContact(visits: readonly (CountedVisit & { contactId: string })[]) {
  const out = new Map<string, CountedVisit[]>();
  for (const v of visits) {
    const list = out.get(v.contactId) ?? [];
    list.push(v);
    out.set(v.contactId, list);
  }
  return out;
}

/**
 * Every stored visit — new, corrected, cancelled, refunded, or moved to another customer — changes
 * earned growth's monthly sums in the visit's transaction. A visit can move its customer's first
 * visit and so turn their other visits from new into returning revenue (or back), so the change is
 * computed per customer touched: their visits now, and as they were before the batch (its new
 * visits left out, its updated ones as the event says they were), whole contribution after minus
 * before. `visit.cancelled` comes with a `visit.recorded` of the same change, so this one
 * subscription sees every change of an amount, moment, status or customer.
 */
export const revenueMonthsAfterVisits = inTransaction(
  visitRecorded,
  'loyalty.revenue-months.visits',
  async (trx, events, { now }) => {
    const byOrganisation = new Map<string, VisitRecorded[]>();
    for (const e of events) {
      byOrganisation.set(e.organisationId, [
        ...(byOrganisation.get(e.organisationId) ?? []),
        e.data,
      ]);
    }
    for (const [organisationId, changes] of byOrganisation) {
      const contactIds = [
        ...new Set(changes.flatMap((d) => [d.contactId, d.previousContactId ?? d.contactId])),
      ];
      const current = await visitsOfContacts(trx, organisationId, contactIds);
      const changed = new Set(changes.map((d) => d.visitId));
      const before = [
        ...current.filter((v) => !changed.has(v.id)),
        ...changes.flatMap((d) =>
          d.kind === 'updated' && d.previousStatus !== null
            ? [
                {
                  contactId: d.previousContactId ?? d.contactId,
                  visitedAt: d.previousVisitedAt ?? d.visitedAt,
                  amountCents: d.previousAmountCents ?? d.amountCents,
                  status: d.previousStatus,
                },
              ]
            : [],
        ),
      ];
      const after = byContact(current);
      const was = byContact(before);
      await addRevenueMonths(
        trx,
        organisationId,
        sumRevenueMonths(
          contactIds.map((id) => revenueMonthChanges(was.get(id) ?? [], after.get(id) ?? [])),
        ),
        now,
      );
    }
  },
);
