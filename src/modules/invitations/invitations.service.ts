import type { Executor } from '../../db/database.ts';
import { pageRequest, toPage } from '../../shared/cursor.ts';
import { forbidden, notFound } from '../../shared/errors.ts';
import type { Actor } from '../auth/actor.ts';
import { recordScope } from '../auth/record-scope.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { getSurveyRow } from '../surveys/surveys.service.ts';
import { presentInvitation, presentSend } from './invitations.presenter.ts';
import * as repo from './invitations.repository.ts';
import type { ListInvitationsInput } from './invitations.schemas.ts';

/**
 * The sends of a survey with their invitation counts per status. Sends are a manager's tool: their
 * counts cover the whole organisation, so an account manager (scoped to their own customers) is
 * refused rather than shown colleagues' numbers.
 */
export async function listSends(
  db: Executor,
  actor: Actor,
  surveyId: string,
  input: { limit: number; cursor?: string | undefined; total?: boolean | undefined },
) {
  if (recordScope(actor).kind !== 'all') throw forbidden();
  await getSurveyRow(db, actor.organisationId, surveyId);
  const rows = await repo.listSurveySends(db, actor.organisationId, surveyId, pageRequest(input));
  const page = toPage(rows, input.limit, (r) => r);
  return {
    items: await Promise.all(
      page.items.map(async (r) =>
        presentSend(r, await repo.countInvitationsByStatus(db, actor.organisationId, r.id)),
      ),
    ),
    nextCursor: page.nextCursor,
    ...(page.total !== undefined ? { total: page.total } : {}),
  };
}

/** Stops a send: invitations not yet sent are cancelled; sent ones (and their reminders) stay. */
export async function cancelSend(
  db: Executor,
  actor: Actor,
  surveyId: string,
  sendId: string,
  now: number,
) {
  const send = await repo.findSurveySend(db, actor.organisationId, surveyId, sendId);
  if (!send) throw notFound('send');
  const cancelled = await repo.cancelPlannedInvitations(db, actor.organisationId, sendId);
  if (send.status !== 'completed' && send.status !== 'cancelled') {
    await repo.updateSurveySend(db, actor.organisationId, sendId, { status: 'cancelled' });
  }
  await recordAudit(
    db,
    actor,
    {
      action: 'survey.send_cancelled',
      entityType: 'survey',
      entityId: surveyId,
      data: { sendId, cancelled },
    },
    now,
  );
  const after = await repo.findSurveySend(db, actor.organisationId, surveyId, sendId);
  return presentSend(
    after ?? send,
    await repo.countInvitationsByStatus(db, actor.organisationId, sendId),
  );
}

/** Invitations of a survey; an account manager sees only those of their own customers. */
export async function listInvitations(
  db: Executor,
  actor: Actor,
  surveyId: string,
  input: ListInvitationsInput,
) {
  await getSurveyRow(db, actor.organisationId, surveyId);
  const rows = await repo.listInvitations(
    db,
    actor.organisationId,
    {
      surveyId,
      sendId: input.sendId,
      status: input.status,
      scope: recordScope(actor),
    },
    pageRequest(input),
  );
  return toPage(rows, input.limit, presentInvitation);
}
