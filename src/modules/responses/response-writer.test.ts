import { describe, expect, it } from 'vitest';
import type { Deps } from '../../platform/deps.ts';
import { createResponseWriter, type InvitationSubmission } from './response-writer.ts';

/**
 * A stand-in database whose transactions stay open until the test ends them: it counts the batches
 * written at once, and never runs the batch (each answer then resolves as an unknown link).
 */
function heldTransactions() {
  const open: Array<() => void> = [];
  let started = 0;
  const deps = {
    db: {
      kysely: {
        transaction: () => ({
          execute: () =>
            new Promise<unknown[]>((resolve) => {
              started++;
              open.push(() => resolve([]));
            }),
        }),
      },
    },
    now: () => 0,
  } as unknown as Deps;
  return {
    deps,
    get started() {
      return started;
    },
    /** Commits the oldest batch still open. */
    commitOne() {
      open.shift()?.();
    },
  };
}

const submission = (n: number): InvitationSubmission => ({
  token: `token-${n}`,
  mode: 'score',
  answer: {
    score: 9,
    comment: null,
    employeeScore: null,
    mayContact: false,
    ambassadorOptIn: false,
  },
  now: 0,
});

/**
 * Lets the writer take what was submitted or committed: it starts batches on the next turn of the
 * event loop (two turns: a commit's bookkeeping may queue that turn after this one's).
 */
const nextTurn = async () => {
  for (let i = 0; i < 2; i++) await new Promise<void>((resolve) => setImmediate(resolve));
};

describe('the group-commit writer of answers', () => {
  it('writes answers that arrive during a batch in one batch after it, while few wait', async () => {
    const db = heldTransactions();
    const writer = createResponseWriter(db.deps, { concurrency: 4, extraBatchFrom: 16 });
    const answers = [writer.submit(submission(0))];
    await nextTurn();
    expect(db.started).toBe(1);
    for (let n = 1; n < 16; n++) answers.push(writer.submit(submission(n)));
    await nextTurn();
    // Fifteen wait: a batch beside the first would cost as many statements for far fewer answers.
    expect(db.started).toBe(1);
    db.commitOne();
    await answers[0];
    await nextTurn();
    expect(db.started).toBe(2);
    db.commitOne();
    const outcomes = await Promise.all(answers);
    expect(outcomes).toHaveLength(16);
    expect(db.started).toBe(2);
    await writer.close();
  });

  it('starts batches beside the one in flight once enough answers wait, up to its concurrency', async () => {
    const db = heldTransactions();
    const writer = createResponseWriter(db.deps, {
      concurrency: 3,
      extraBatchFrom: 16,
      maxBatch: 16,
    });
    const answers = [writer.submit(submission(0))];
    await nextTurn();
    expect(db.started).toBe(1);
    for (let n = 1; n <= 64; n++) answers.push(writer.submit(submission(n)));
    await nextTurn();
    // 64 wait: two more batches of 16 start beside the first, and no more than three run at once.
    expect(db.started).toBe(3);
    for (let i = 0; i < 6; i++) {
      db.commitOne();
      await nextTurn();
    }
    const outcomes = await Promise.all(answers);
    expect(outcomes).toHaveLength(65);
    // 1 + 64 answers in batches of at most 16: the first alone, then four of 16.
    expect(db.started).toBe(5);
    await writer.close();
  });
});
