import type { Executor } from '../../db/database.ts';
import { isDeadlock, isPostgres } from '../../db/dialect.ts';
import type { ResponseTable } from '../../db/schema.ts';
import type { Deps } from '../../platform/deps.ts';
import { categorise, type NpsCategory } from '../../domain/scoring/nps.ts';
import * as repo from './responses.repository.ts';
import { invitationLinkState, type LinkState } from './response-rules.ts';
import type { AnswerInput } from './responses.schemas.ts';
import { invitationResponseRow } from './responses.service.ts';
import { storeAnswers, type CurrentAnswer } from './store-answers.ts';

/** A person of the batch was erased while it was written: the batch is undone and tried again. */
export class ErasedWhileAnswering extends Error {
  constructor() {
    super('a contact of this answer batch was erased while it was written');
  }
}

/** One validated answer to a personal link, waiting to be written. */
export interface InvitationSubmission {
  token: string;
  /** `score`: the one-click score only (keeps comment and opt-ins); `full`: the whole form. */
  mode: repo.UpsertMode;
  answer: AnswerInput;
  now: number;
}

export type SubmissionOutcome =
  | { status: 'saved'; category: NpsCategory; closesAt: number }
  | { status: Exclude<LinkState, 'open'> };

export interface ResponseWriter {
  /** Resolves after the answer is committed (durable before the 2xx), or with why it was refused. */
  submit(submission: InvitationSubmission): Promise<SubmissionOutcome>;
  /** Waits for every queued answer to be written; later submits are refused. */
  close(): Promise<void>;
}

interface Pending {
  submission: InvitationSubmission;
  resolve(outcome: SubmissionOutcome): void;
  reject(error: unknown): void;
}

/**
 * Group commit for answers to personal links. Every submission that arrives within one event-loop
 * turn (and any that queue up while a write is in flight) is written in ONE transaction: one lookup
 * of all tokens, one multi-row upsert per mode, one update of the invitations per organisation.
 * Each request's promise resolves only after that transaction commits, so a 2xx still means the
 * answer is stored. On SQLite (WAL, synchronous=NORMAL) "stored" means committed to the WAL: it
 * survives a crash of the process, and a power loss may lose only the last moments of commits.
 *
 * Items are validated one by one before they are queued; if a whole batch still fails (e.g. a
 * PostgreSQL deadlock between two batches), each item is retried on its own, so one bad item never
 * fails the others. Answers are stored through `storeAnswers`, which emits `response.saved` in the
 * same transaction.
 */
export function createResponseWriter(
  deps: Deps,
  options: {
    maxBatch?: number;
    /** How many batches may be written at once (each in its own transaction). */
    concurrency?: number;
    /**
     * While a batch is being written, another starts beside it only once this many answers wait;
     * fewer wait for it to commit and go together in the next. A batch costs about the same
     * statements (and round trips to PostgreSQL) for 2 answers as for 50: on the answer bench
     * (PostgreSQL, 50 connections), batches started as soon as one of 4 slots was free held ~4
     * answers and cost 2.0–2.9 ms of CPU per answer (server and PostgreSQL), against 1.2–1.4 ms
     * with this rule, at no fewer requests per second.
     */
    extraBatchFrom?: number;
  } = {},
): ResponseWriter {
  const db = deps.db.kysely;
  const maxBatch = options.maxBatch ?? 256;
  const concurrency = options.concurrency ?? 1;
  const extraBatchFrom = options.extraBatchFrom ?? 16;
  let queue: Pending[] = [];
  let scheduled = false;
  let inFlight = 0;
  let closed = false;
  let idleWaiters: Array<() => void> = [];

  const notifyIdle = () => {
    if (inFlight === 0 && queue.length === 0 && !scheduled) {
      const waiters = idleWaiters;
      idleWaiters = [];
      for (const w of waiters) w();
    }
  };

  /** A batch starts when none is in flight, or beside others when enough answers wait. */
  const mayStart = () =>
    queue.length > 0 &&
    inFlight < concurrency &&
    (inFlight === 0 || queue.length >= extraBatchFrom);

  const schedule = () => {
    if (scheduled || !mayStart()) return;
    scheduled = true;
    setImmediate(run);
  };

  function run(): void {
    scheduled = false;
    while (mayStart()) {
      const batch = queue.slice(0, maxBatch);
      queue = queue.slice(batch.length);
      inFlight++;
      void writeBatch(batch).finally(() => {
        inFlight--;
        schedule();
        notifyIdle();
      });
    }
    notifyIdle();
  }

  async function writeBatch(batch: Pending[]): Promise<void> {
    try {
      const outcomes = await db.transaction().execute((trx) =>
        writeSubmissions(
          trx,
          deps,
          batch.map((p) => p.submission),
        ),
      );
      batch.forEach((p, i) => p.resolve(outcomes[i] ?? { status: 'unknown' }));
    } catch (error) {
      // One answer alone is tried once more after an erasure or a deadlock (both leave nothing).
      const again = error instanceof ErasedWhileAnswering || isDeadlock(error);
      if (batch.length === 1 && !again) {
        batch[0]?.reject(error);
        return;
      }
      for (const p of batch) {
        try {
          const [outcome] = await db
            .transaction()
            .execute((trx) => writeSubmissions(trx, deps, [p.submission]));
          p.resolve(outcome ?? { status: 'unknown' });
        } catch (itemError) {
          p.reject(itemError);
        }
      }
    }
  }

  return {
    submit(submission) {
      if (closed) return Promise.reject(new Error('response writer is closed'));
      return new Promise<SubmissionOutcome>((resolve, reject) => {
        queue.push({ submission, resolve, reject });
        schedule();
      });
    },
    async close() {
      closed = true;
      if (inFlight === 0 && queue.length === 0 && !scheduled) return;
      await new Promise<void>((resolve) => idleWaiters.push(resolve));
    },
  };
}

/**
 * Writes a group of submissions inside one open transaction and says, per submission, what
 * happened. Exported for the writer's tests and for callers that already hold a transaction.
 */
export async function writeSubmissions(
  trx: Executor,
  deps: Deps,
  submissions: readonly InvitationSubmission[],
): Promise<SubmissionOutcome[]> {
  const tokens = [...new Set(submissions.map((s) => s.token))];
  const contexts = new Map(
    // The answers read are locked (PostgreSQL): `current` below is what each answer replaces.
    (await repo.findInvitationContexts(trx, tokens, { lockAnswers: true })).map((c) => [
      c.token,
      c,
    ]),
  );
  const outcomes: SubmissionOutcome[] = new Array<SubmissionOutcome>(submissions.length);
  // Per mode, one row per invitation: a double click inside one batch keeps the last answer, and
  // PostgreSQL refuses one upsert that touches the same row twice.
  const planned: Record<repo.UpsertMode, Map<string, { row: ResponseTable; items: number[] }>> = {
    score: new Map(),
    full: new Map(),
  };
  const contextOf = new Map<
    string,
    { organisationId: string; contactId: string; closesAt: number | null }
  >();
  const current = new Map<string, CurrentAnswer | null>();
  submissions.forEach((s, index) => {
    const ctx = contexts.get(s.token);
    const state = invitationLinkState(ctx, s.now);
    if (!ctx || state !== 'open') {
      outcomes[index] = { status: state === 'open' ? 'unknown' : state };
      return;
    }
    const row = invitationResponseRow(ctx, s.answer, s.now);
    const group = planned[s.mode];
    const entry = group.get(ctx.invitation_id);
    if (entry) {
      entry.row = row;
      entry.items.push(index);
    } else {
      group.set(ctx.invitation_id, { row, items: [index] });
    }
    contextOf.set(ctx.invitation_id, {
      organisationId: ctx.organisation_id,
      contactId: ctx.contact_id,
      closesAt: ctx.response_closes_at,
    });
    current.set(
      ctx.invitation_id,
      ctx.response_score === null
        ? null
        : {
            score: ctx.response_score,
            category: categorise(ctx.response_score),
            ambassadorOptIn: ctx.response_ambassador_opt_in === 1,
          },
    );
  });

  const now = Math.max(...submissions.map((s) => s.now));
  // A stable order of keys keeps concurrent PostgreSQL batches from deadlocking each other.
  const byInvitation = (a: ResponseTable, b: ResponseTable) =>
    (a.invitation_id ?? '') < (b.invitation_id ?? '') ? -1 : 1;
  const written = await storeAnswers(
    trx,
    deps,
    {
      door: 'invitation',
      score: [...planned.score.values()].map((e) => e.row).sort(byInvitation),
      full: [...planned.full.values()].map((e) => e.row).sort(byInvitation),
      current,
    },
    now,
  );

  // An erasure that committed after the context was read cleared the person's answers before this
  // one was written (AVG art. 17). The contacts are read again, locked, as the batch's last step
  // (PostgreSQL; SQLite has one writer): an erased one undoes the batch, whose answers are then
  // tried one by one and find the person erased. An erasure that comes later waits for the lock
  // and erases these answers too (`eraseContactResponses` locks the contact first).
  if (isPostgres(trx) && written.size > 0) {
    const contacts = [...written.keys()].flatMap((id) => {
      const info = contextOf.get(id);
      return info ? [{ organisationId: info.organisationId, id: info.contactId }] : [];
    });
    if ((await repo.erasedContactsAmong(trx, contacts)).length > 0)
      throw new ErasedWhileAnswering();
  }

  for (const mode of ['score', 'full'] as const) {
    for (const [invitationId, { row, items }] of planned[mode]) {
      const info = contextOf.get(invitationId);
      const ok = written.has(invitationId);
      for (const index of items) {
        outcomes[index] = ok
          ? { status: 'saved', category: row.category, closesAt: info?.closesAt ?? row.closes_at }
          : { status: 'closed' };
      }
    }
  }
  return outcomes;
}
