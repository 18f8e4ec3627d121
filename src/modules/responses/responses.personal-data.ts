import type { PersonalDataHolder } from '../../platform/contract.ts';
import * as repo from './responses.repository.ts';

/**
 * A contact's answers are personal data: a comment may say anything about the person, and the
 * opt-ins are their consents. Export lists every answer. Erasure clears the comment and the opt-ins
 * but keeps score, category and the owner/account/segment snapshots, so the organisation's NPS and
 * its history keep adding up.
 *
 * `contact_id` is kept on purpose: the contact row itself is already an anonymous shell after
 * erasure (no name, email or phone), so the id identifies nobody, while it still lets later features
 * count "one answer per customer" and keeps the erased contact from being invited again through the
 * contact-frequency rules.
 */
export const responsesHolder: PersonalDataHolder = {
  name: 'responses',
  async export(db, organisationId, contactId) {
    const rows = await repo.listContactResponses(db, organisationId, contactId);
    return rows.map((r) => ({
      id: r.id,
      surveyId: r.survey_id,
      channel: r.channel,
      score: r.score,
      category: r.category,
      comment: r.comment,
      employeeScore: r.employee_score,
      mayContact: r.may_contact === 1,
      ambassadorOptIn: r.ambassador_opt_in === 1,
      language: r.locale,
      answeredAt: new Date(r.answered_at).toISOString(),
      updatedAt: new Date(r.updated_at).toISOString(),
    }));
  },
  async erase(db, organisationId, contactId, now) {
    await repo.eraseContactResponses(db, organisationId, contactId, now);
  },
  /** Answers older than the retention period lose who gave them; the figures stay. */
  async retain(db, organisationId, { cutoff, limit, now }) {
    return {
      anonymisedResponses: await repo.anonymiseResponsesBefore(
        db,
        organisationId,
        cutoff,
        limit,
        now,
      ),
    };
  },
};
