import { inTransaction } from '../../platform/events/define-event.ts';
import { responseSaved } from '../responses/responses.events.ts';
import * as repo from './ambassadors.repository.ts';
import { enrol, optInText } from './ambassadors.service.ts';

/**
 * Every respondent who opts in as ambassador joins the register in the transaction that stores
 * the answer — with the words they agreed to, when, and through which answer — so the thank-you
 * page can already lead them to their share page. They join when the answer's opt-in goes from not
 * given to given (the box ticked), not on every later save of an answer that carries it: a click
 * on 9 in the invitation mail or a changed comment is no new consent, so an ambassador the business
 * removed stays removed. Unticking the opt-in while the answer can still be changed withdraws that
 * consent: they leave the register and their links stop working.
 */
export const enrolOptedInPromoters = inTransaction(
  responseSaved,
  'ambassadors.enrol',
  async (trx, events, { deps, now }) => {
    for (const e of events) {
      const contactId = e.data.contactId;
      if (!contactId) continue;
      if (e.data.ambassadorOptIn) {
        if (e.data.previousAmbassadorOptIn === true) continue;
        const locale = await trx
          .selectFrom('responses')
          .select('locale')
          .where('organisation_id', '=', e.organisationId)
          .where('id', '=', e.data.responseId)
          .executeTakeFirst();
        await enrol(
          trx,
          deps,
          {
            organisationId: e.organisationId,
            contactId,
            consentText: await optInText(
              trx,
              e.organisationId,
              e.data.surveyId,
              locale?.locale ?? 'nl',
            ),
            consentSource: 'survey',
            consentUserId: null,
            consentNote: null,
            responseId: e.data.responseId,
            showName: false,
          },
          now,
        );
      } else if (e.data.kind === 'updated') {
        const a = await repo.findAmbassadorByContact(trx, e.organisationId, contactId);
        if (
          a &&
          a.status !== 'removed' &&
          a.consent_source === 'survey' &&
          a.response_id === e.data.responseId
        ) {
          await repo.updateAmbassador(trx, e.organisationId, a.id, {
            status: 'removed',
            removed_at: now,
            updated_at: now,
          });
        }
      }
    }
  },
);
