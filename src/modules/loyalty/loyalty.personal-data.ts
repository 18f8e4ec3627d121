import type { PersonalDataHolder } from '../../platform/contract.ts';
import { iso } from '../../shared/time.ts';
import {
  contactsWithLostOrigin,
  findContactFacts,
  refreshContactFacts,
} from './contact-facts.repository.ts';
import { contactTasks, deleteContactTasks } from './lapsed-promoters.repository.ts';

/**
 * Lapsed-promoter tasks name a customer to call: exported with the contact, and deleted when the
 * contact is erased (a task about nobody helps nobody).
 */
export const loyaltyTasksHolder: PersonalDataHolder = {
  name: 'loyaltyTasks',
  async export(db, organisationId, contactId) {
    return (await contactTasks(db, organisationId, contactId)).map((t) => ({
      kind: t.kind,
      score: t.score,
      lastVisitAt: iso(t.last_visit_at),
      expectedAt: iso(t.due_at),
      createdAt: iso(t.created_at),
      doneAt: iso(t.done_at),
    }));
  },
  async erase(db, organisationId, contactId) {
    await deleteContactTasks(db, organisationId, contactId);
  },
};

/** Retention recomputes this many contacts per round at most. */
const RETENTION_ROUND = 1000;

/**
 * The loyalty facts per contact (`loyalty_contact_facts`: latest answer's category and time, next
 * visit, visits and revenue) are derived from the contact's answers, invitations and visits, and
 * exported with them. Erasure runs after every other holder (`order: 10`) and recomputes the row
 * from what they left: the visits holder keeps date, kind and amount on the anonymous contact and
 * the responses holder keeps score and category, so the row holds nothing those do not, and the
 * return and revenue figures stay as they were — the same choice those holders make. Retention:
 * a row whose origin answer no longer names the contact is recomputed (it loses its origin: an
 * invitation still says they answered, so they are no non-respondent), a thousand per round.
 */
export const loyaltyFactsHolder: PersonalDataHolder = {
  name: 'loyaltyFacts',
  order: 10,
  async export(db, organisationId, contactId) {
    const row = await findContactFacts(db, organisationId, contactId);
    if (!row) return null;
    return {
      category: row.category,
      score: row.score,
      originAt: iso(row.origin_at),
      nextVisitAt: iso(row.next_visit_at),
      priorVisits: row.prior_visits,
      revenueAfter: row.revenue_after_cents / 100,
      firstVisitAt: iso(row.first_visit_at),
      lastVisitAt: iso(row.last_visit_at),
      visits: row.visits,
      revenue: row.revenue_cents / 100,
    };
  },
  async erase(db, organisationId, contactId, now) {
    await refreshContactFacts(db, organisationId, [contactId], now);
  },
  async retain(db, organisationId, { now }) {
    const stale = await contactsWithLostOrigin(db, organisationId, RETENTION_ROUND);
    await refreshContactFacts(db, organisationId, stale, now);
    return { refreshedLoyaltyFacts: stale.length };
  },
};
