import type { EventEnvelope } from '../../platform/contract.ts';
import { inTransaction } from '../../platform/events/define-event.ts';
import { invitationSent } from '../invitations/invitations.events.ts';
import { responseSaved } from '../responses/responses.events.ts';
import { visitRecorded } from '../visits/visits.events.ts';
import {
  refreshContactFacts,
  refreshFactsAfterAnswers,
  refreshFactsAfterInvitations,
  type SentInvitationFact,
  type StoredAnswerFact,
} from './contact-facts.repository.ts';

/** The contacts an event batch touched, per organisation. */
function touched<D>(
  events: readonly EventEnvelope<D>[],
  contactsOf: (data: D) => readonly (string | null)[],
): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const e of events) {
    const ids = out.get(e.organisationId) ?? [];
    for (const id of contactsOf(e.data)) if (id !== null) ids.push(id);
    out.set(e.organisationId, ids);
  }
  return out;
}

async function refreshAll(
  trx: Parameters<typeof refreshContactFacts>[0],
  byOrganisation: Map<string, string[]>,
  now: number,
): Promise<void> {
  for (const [organisationId, ids] of byOrganisation) {
    if (ids.length > 0) await refreshContactFacts(trx, organisationId, ids, now);
  }
}

/**
 * Every stored visit — new, corrected, cancelled, refunded, or moved to another customer —
 * recomputes its contact's facts (and the former customer's) in the visit's transaction.
 * `visit.cancelled` always comes in the same transaction as the `visit.recorded` of the same
 * change, so this one subscription sees every change of the visits table.
 */
export const factsAfterVisits = inTransaction(
  visitRecorded,
  'loyalty.contact-facts.visits',
  async (trx, events, { now }) => {
    await refreshAll(
      trx,
      touched(events, (d) => [d.contactId, d.previousContactId]),
      now,
    );
  },
);

/**
 * An answer (new or edited) moves its contact's origin: the facts follow in the answer's
 * transaction — from the answer itself where it is the contact's latest.
 */
export const factsAfterAnswers = inTransaction(
  responseSaved,
  'loyalty.contact-facts.answers',
  async (trx, events, { now }) => {
    const byOrganisation = new Map<string, StoredAnswerFact[]>();
    for (const { organisationId, data } of events) {
      if (data.contactId === null) continue;
      const answers = byOrganisation.get(organisationId) ?? [];
      answers.push({
        contactId: data.contactId,
        responseId: data.responseId,
        answeredAt: data.answeredAt,
        score: data.score,
        category: data.category,
      });
      byOrganisation.set(organisationId, answers);
    }
    for (const [organisationId, answers] of byOrganisation) {
      await refreshFactsAfterAnswers(trx, organisationId, answers, now);
    }
  },
);

/**
 * A sent invitation is a non-respondent's origin: their facts follow in the transaction that sends
 * it — recomputed only where the invitation can move the origin.
 */
export const factsAfterInvitations = inTransaction(
  invitationSent,
  'loyalty.contact-facts.invitations',
  async (trx, events, { now }) => {
    const byOrganisation = new Map<string, SentInvitationFact[]>();
    for (const { organisationId, data } of events) {
      const sent = byOrganisation.get(organisationId) ?? [];
      sent.push({ contactId: data.contactId, kind: data.kind, sentAt: data.sentAt });
      byOrganisation.set(organisationId, sent);
    }
    for (const [organisationId, sent] of byOrganisation) {
      await refreshFactsAfterInvitations(trx, organisationId, sent, now);
    }
  },
);
