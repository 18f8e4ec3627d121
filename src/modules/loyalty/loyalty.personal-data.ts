import type { PersonalDataHolder } from '../../platform/contract.ts';
import { iso } from '../../shared/time.ts';
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
