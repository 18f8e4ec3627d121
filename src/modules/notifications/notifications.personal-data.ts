import type { PersonalDataHolder } from '../../platform/contract.ts';
import { deleteNotificationsBefore } from './notifications.repository.ts';

/**
 * Notifications are about account managers and teams, never about a customer: a contact's export
 * has nothing from them and a contact's erasure changes nothing (the figures are counts). They are
 * still personal data of the employee they judge, so they are kept no longer than the
 * organisation's retention period: the retention run deletes older notes and who read them.
 */
export const notificationsHolder: PersonalDataHolder = {
  name: 'notifications',
  async export() {
    return [];
  },
  async erase() {
    // Nothing names the contact.
  },
  async retain(db, organisationId, policy) {
    return {
      deletedNotifications: await deleteNotificationsBefore(
        db,
        organisationId,
        policy.cutoff,
        policy.limit,
      ),
    };
  },
};
