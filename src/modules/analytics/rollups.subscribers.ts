import { inTransaction } from '../../platform/events/define-event.ts';
import { responseSaved } from '../responses/responses.events.ts';
import { applyAnswers } from './rollups.service.ts';

/**
 * Every stored or edited answer updates the NPS rollups in the same transaction, so a dashboard
 * that reads them is never behind the answers (and a rolled-back answer leaves no count).
 */
export const updateRollups = inTransaction(
  responseSaved,
  'analytics.rollups',
  async (trx, events) => {
    await applyAnswers(
      trx,
      events.map((e) => ({
        organisationId: e.organisationId,
        surveyId: e.data.surveyId,
        channel: e.data.channel,
        segment: e.data.segment,
        ownerEmployeeId: e.data.ownerEmployeeId,
        locationId: e.data.locationId,
        answeredAt: e.data.answeredAt,
        score: e.data.score,
        previousScore: e.data.kind === 'updated' ? e.data.previousScore : null,
      })),
    );
  },
);
