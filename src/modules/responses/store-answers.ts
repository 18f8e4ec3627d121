import type { Executor } from '../../db/database.ts';
import type { ResponseTable } from '../../db/schema.ts';
import type { NpsCategory } from '../../domain/scoring/nps.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import { responseSaved, type ResponseSaved } from './responses.events.ts';
import * as repo from './responses.repository.ts';

/** What an edit replaces of the answer it edits: what `response.saved` calls previous. */
export interface CurrentAnswer {
  score: number;
  category: NpsCategory;
  ambassadorOptIn: boolean;
}

/** Answers to write, the way each door writes them. */
export type AnswerBatch =
  | {
      /** Personal links: one answer per invitation; `score` keeps comment and opt-ins. */
      door: 'invitation';
      score: readonly ResponseTable[];
      full: readonly ResponseTable[];
      /**
       * The current answer per invitation as the caller read it in this same transaction, locked
       * on PostgreSQL (`findInvitationContexts` with `lockAnswers`; SQLite has one writer, so
       * nothing can change it in between): it spares a second, locking read. Each row's id must
       * then be the id of the answer read, as `invitationResponseRow` makes it.
       */
      current?: ReadonlyMap<string, CurrentAnswer | null>;
    }
  | {
      /** The anonymous link: one answer per browser (device key) per survey. */
      door: 'device';
      row: ResponseTable;
    };

/**
 * The one function every answer is stored through — the personal link's group-commit writer and
 * the anonymous link alike. In the caller's transaction it locks the answers being replaced (so an
 * edit knows the score it replaced), upserts, marks invitations responded, and emits
 * `response.saved` once per answer written: in-transaction subscribers (cases, rollups) act now,
 * after-commit subscribers (webhooks) get a job each. Answers whose edit window has closed are not
 * written and emit nothing. Returns what was written, keyed by invitation id or device key.
 */
export async function storeAnswers(
  trx: Executor,
  deps: Deps,
  batch: AnswerBatch,
  now: number,
): Promise<Map<string, repo.StoredAnswer>> {
  const rows = batch.door === 'invitation' ? [...batch.score, ...batch.full] : [batch.row];
  if (rows.length === 0) return new Map();
  const keyOf = (r: { invitation_id: string | null; device_key: string | null }) =>
    (batch.door === 'invitation' ? r.invitation_id : r.device_key) ?? '';

  const previous = new Map<string, CurrentAnswer>();
  // The id each key's answer already has. A row's id is derived from its key (answer-ids.ts), but
  // an answer written before ids were derived keeps its own, so the upsert on the id finds it.
  const existingIds = new Map<string, string>();
  const lockCurrent = async (keys: readonly string[]) => {
    const found = await repo.lockCurrentAnswers(
      trx,
      deps.db.dialect,
      batch.door === 'invitation'
        ? { kind: 'invitation', invitationIds: [...new Set(keys)].sort() }
        : { kind: 'device', surveyId: batch.row.survey_id, deviceKeys: [...new Set(keys)].sort() },
    );
    for (const r of found) {
      previous.set(keyOf(r), {
        score: r.score,
        category: r.category,
        ambassadorOptIn: r.ambassador_opt_in === 1,
      });
      existingIds.set(keyOf(r), r.id);
    }
  };
  if (batch.door === 'invitation' && batch.current) {
    for (const [key, answer] of batch.current) if (answer) previous.set(key, answer);
  } else {
    await lockCurrent(rows.map(keyOf));
  }
  const withId = (row: ResponseTable): ResponseTable => {
    const id = existingIds.get(keyOf(row));
    return id === undefined || id === row.id ? row : { ...row, id };
  };

  const written = new Map<string, repo.StoredAnswer>();
  /**
   * Writes one group of rows. A key that had no answer when it was read is inserted, skipping a
   * conflict: on PostgreSQL another transaction may have answered it in between (its insert waits
   * for that one to commit). Such a key is then read and locked like the others, so that its
   * `response.saved` says which score it replaced — else two racing first answers would both count
   * as new in the rollups. Every other row is upserted.
   */
  const writeGroup = async (
    group: readonly ResponseTable[],
    upsert: (rows: ResponseTable[]) => Promise<repo.StoredAnswer[]>,
  ) => {
    const fresh = group.filter((r) => !previous.has(keyOf(r)) && !written.has(keyOf(r)));
    const inserted = new Set<string>();
    for (const stored of await repo.insertNewAnswers(trx, fresh)) {
      inserted.add(keyOf(stored));
      written.set(keyOf(stored), stored);
    }
    const raced = fresh.map(keyOf).filter((key) => !inserted.has(key));
    if (raced.length > 0) await lockCurrent(raced);
    const rest = group.filter((r) => !inserted.has(keyOf(r))).map(withId);
    for (const stored of await upsert(rest)) written.set(keyOf(stored), stored);
  };

  if (batch.door === 'invitation') {
    // The one-click score first, then whole forms: the form a person submits is their final word.
    for (const [mode, group] of [
      ['score', batch.score],
      ['full', batch.full],
    ] as const) {
      await writeGroup(group, (rest) => repo.upsertInvitationResponses(trx, rest, mode, now));
    }
    const respondedByOrg = new Map<string, string[]>();
    for (const stored of written.values()) {
      if (stored.invitation_id === null) continue;
      const ids = respondedByOrg.get(stored.organisation_id) ?? [];
      ids.push(stored.invitation_id);
      respondedByOrg.set(stored.organisation_id, ids);
    }
    for (const [organisationId, ids] of respondedByOrg) {
      await repo.markInvitationsResponded(trx, organisationId, ids, now);
    }
  } else {
    await writeGroup([batch.row], async ([row]) => {
      const stored = row ? await repo.upsertDeviceResponse(trx, row, now) : undefined;
      return stored ? [stored] : [];
    });
  }

  await emit(
    trx,
    deps,
    responseSaved,
    [...written.entries()].map(([key, a]) => {
      const prior = previous.get(key) ?? null;
      return { organisationId: a.organisation_id, data: responseSavedData(a, prior) };
    }),
    now,
  );
  return written;
}

/**
 * What `response.saved` says of a stored answer; `prior` is what an edit replaced (null for a new
 * answer). Every path that stores an answer, and the demo that replays its history, tells it so.
 */
export function responseSavedData(
  a: repo.StoredAnswer,
  prior: CurrentAnswer | null,
): ResponseSaved {
  return {
    responseId: a.id,
    surveyId: a.survey_id,
    contactId: a.contact_id,
    invitationId: a.invitation_id,
    channel: a.channel,
    kind: prior ? 'updated' : 'created',
    score: a.score,
    category: a.category,
    previousScore: prior?.score ?? null,
    previousCategory: prior?.category ?? null,
    hasComment: a.has_comment === 1,
    mayContact: a.may_contact === 1,
    ambassadorOptIn: a.ambassador_opt_in === 1,
    previousAmbassadorOptIn: prior?.ambassadorOptIn ?? null,
    employeeScore: a.employee_score,
    ownerEmployeeId: a.owner_employee_id,
    accountId: a.account_id,
    segment: a.segment,
    locationId: a.location_id,
    answeredAt: a.answered_at,
  };
}
