import { OPEN_COMPLAINT_HOLD_MS } from '../../domain/privacy/retention.ts';
import type { PersonalDataHolder } from '../../platform/contract.ts';
import { iso } from '../../shared/time.ts';
import * as repo from './cases.repository.ts';

/**
 * Cases about a contact and their notes. Export gives every case with its log; erasure removes
 * the notes' text (what a colleague wrote about the customer) and keeps the facts the report
 * counts (scores, statuses, times). Retention clears notes older than the organisation's period.
 */
export const casesHolder: PersonalDataHolder = {
  name: 'cases',
  async export(db, organisationId, contactId) {
    const cases = await repo.listContactCases(db, organisationId, contactId);
    const result = [];
    for (const c of cases) {
      const log = await repo.listCaseEvents(db, organisationId, c.id);
      result.push({
        id: c.id,
        kind: c.kind,
        status: c.status,
        score: c.opened_score,
        openedAt: iso(c.opened_at),
        closedAt: iso(c.closed_at),
        followUpScore: c.follow_up_score,
        log: log.map((e) => ({ at: iso(e.at), type: e.type, note: e.body })),
      });
    }
    return result;
  },
  async erase(db, organisationId, contactId) {
    await repo.eraseNotes(
      db,
      organisationId,
      await repo.listCaseIdsOfContact(db, organisationId, contactId),
    );
  },
  async retain(db, organisationId, policy) {
    return {
      erasedCaseNotes: await repo.eraseNotesBefore(
        db,
        organisationId,
        policy.cutoff,
        policy.limit,
        OPEN_COMPLAINT_HOLD_MS,
      ),
    };
  },
};
