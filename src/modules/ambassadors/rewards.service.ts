import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import { parseCode } from '../../domain/referrals/codes.ts';
import {
  checkRedemption,
  decideRelease,
  effectiveStatus,
  validUntil,
  type RedemptionCheck,
} from '../../domain/referrals/reward-rules.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import { enqueue, type JobResult } from '../../platform/jobs/define-job.ts';
import { conflict, notFound } from '../../shared/errors.ts';
import { sha256 } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import * as repo from './ambassadors.repository.ts';
import { rewardIssued, rewardRedeemed } from './ambassadors.events.ts';
import { rewardReleaseJob } from './ambassadors.jobs.ts';

const issuedEvent = (r: repo.RewardRow, at: number, until: number | null) => ({
  organisationId: r.organisation_id,
  data: {
    rewardId: r.id,
    referralId: r.referral_id,
    ambassadorId: r.ambassador_id,
    recipient: r.recipient,
    kind: r.kind,
    costCents: r.cost_cents,
    validUntil: until,
  },
  at,
});

/**
 * The release job: when the hold is over and the friend's first visit stands, the reward is
 * issued (validity starts now); a cancelled visit voids it; a reward in review waits for a person.
 * Idempotent: a second run finds the reward no longer pending and does nothing.
 */
export async function releaseReward(
  deps: Deps,
  organisationId: string,
  rewardId: string,
): Promise<JobResult> {
  return deps.db.kysely.transaction().execute(async (trx) => {
    const now = deps.now();
    const reward = await repo.findReward(trx, organisationId, rewardId);
    if (!reward) return { status: 'skipped', detail: 'reward not found' };
    const referral = await repo.findReferral(trx, organisationId, reward.referral_id);
    const decision = decideRelease(
      { status: reward.status, holdUntil: reward.hold_until },
      { cancelled: referral?.conversion_cancelled_at != null },
      now,
    );
    if (decision.action === 'none') return { status: 'skipped', detail: `reward ${reward.status}` };
    if (decision.action === 'wait') {
      // The hold is not over (the clock moved back, or the hold was lengthened): the daily sweep
      // picks it up when it is.
      return { status: 'skipped', detail: 'hold not over' };
    }
    if (decision.action === 'void') {
      await repo.transitionReward(trx, organisationId, rewardId, ['pending', 'review'], {
        status: 'voided',
        voided_at: now,
        void_reason: decision.reason,
        updated_at: now,
      });
      return { status: 'success', detail: 'voided: first visit cancelled' };
    }
    const until = validUntil(now, reward.valid_months);
    const done = await repo.transitionReward(trx, organisationId, rewardId, ['pending'], {
      status: 'issued',
      issued_at: now,
      valid_until: until,
      updated_at: now,
    });
    if (done) {
      const e = issuedEvent(reward, now, until);
      await emit(trx, deps, rewardIssued, [e], now);
    }
    return { status: 'success', detail: 'issued' };
  });
}

export const reviewSchema = z.strictObject({
  decision: z.enum(['approve', 'reject']),
  /** Why, in staff's words: kept with the reward (flag, don't ban — but say why). */
  reason: z.string().trim().min(3).max(500),
});

/**
 * Staff decide on a reward in the review queue. Approval issues it (its hold has run by then, or
 * it runs the rest of it); rejection voids it with the reason. A self-referral never reaches the
 * queue: it earned no reward to approve.
 */
export async function reviewReward(
  trx: Executor,
  deps: Deps,
  actor: Actor,
  id: string,
  input: z.infer<typeof reviewSchema>,
  now: number,
): Promise<void> {
  const reward = await repo.findReward(trx, actor.organisationId, id);
  if (!reward) throw notFound('reward');
  if (reward.status !== 'review')
    throw conflict({ field: 'status', problem: 'reward_not_in_review' });
  if (input.decision === 'reject') {
    await repo.transitionReward(trx, actor.organisationId, id, ['review'], {
      status: 'voided',
      voided_at: now,
      void_reason: 'rejected',
      review_note: input.reason,
      reviewed_by: actor.id,
      updated_at: now,
    });
  } else {
    const referral = await repo.findReferral(trx, actor.organisationId, reward.referral_id);
    if (referral?.conversion_cancelled_at != null) {
      throw conflict({ field: 'decision', problem: 'conversion_cancelled' });
    }
    const holdOver = reward.hold_until === null || reward.hold_until <= now;
    const until = holdOver ? validUntil(now, reward.valid_months) : null;
    await repo.transitionReward(trx, actor.organisationId, id, ['review'], {
      status: holdOver ? 'issued' : 'pending',
      issued_at: holdOver ? now : null,
      valid_until: until,
      review_note: input.reason,
      reviewed_by: actor.id,
      updated_at: now,
    });
    if (holdOver) await emit(trx, deps, rewardIssued, [issuedEvent(reward, now, until)], now);
    else {
      // Approved before the hold is over: it is released when the hold ends, like any other.
      await enqueue(
        trx,
        rewardReleaseJob,
        { rewardId: id },
        { organisationId: actor.organisationId, now, runAt: reward.hold_until ?? now },
      );
    }
  }
  await recordAudit(
    trx,
    actor,
    { action: `reward.${input.decision}`, entityType: 'reward', entityId: id },
    now,
  );
}

// ---- Redeeming at the counter ----

/** Misses are counted over this window; the lock lifts when old misses fall out of it. */
export const MISS_WINDOW_MS = 15 * 60_000;
/** Wrong codes one address may type per window before it is locked out. */
export const ADDRESS_MISS_LIMIT = 10;
/** Wrong codes the whole organisation may see per window before the counter locks for all. */
export const ORGANISATION_MISS_LIMIT = 50;

export const addressHash = (organisationId: string, address: string): string =>
  sha256(`${organisationId}:${address}`);

/** Whether this address, or the whole organisation, typed too many wrong codes in the window. */
export async function counterLocked(
  db: Executor,
  organisationId: string,
  address: string,
  now: number,
): Promise<boolean> {
  const hash = addressHash(organisationId, address);
  const misses = await repo.countCodeMisses(db, organisationId, hash, now - MISS_WINDOW_MS);
  return misses.address >= ADDRESS_MISS_LIMIT || misses.organisation >= ORGANISATION_MISS_LIMIT;
}

/** Counts a wrong (well-formed but unknown) code against the address and the organisation. */
export const recordMiss = (db: Executor, organisationId: string, address: string, now: number) =>
  repo.recordCodeMiss(db, organisationId, addressHash(organisationId, address), now);

export type CounterLookup =
  | { kind: 'locked' }
  | { kind: 'typo'; problem: 'empty' | 'length' | 'character' | 'check' }
  | { kind: 'unknown' }
  | { kind: 'found'; reward: repo.RewardRow; check: RedemptionCheck; status: string };

/**
 * Looks a typed voucher code up for the counter, under the lockout: an address with too many
 * wrong codes, or an organisation seeing too many, is locked for the window. A typo (the check
 * character does not match) is answered without a lookup and does not count: it cannot be a
 * guess at another code.
 */
export async function lookUpVoucher(
  db: Executor,
  organisationId: string,
  address: string,
  typed: string,
  now: number,
): Promise<CounterLookup> {
  const hash = addressHash(organisationId, address);
  const misses = await repo.countCodeMisses(db, organisationId, hash, now - MISS_WINDOW_MS);
  if (misses.address >= ADDRESS_MISS_LIMIT || misses.organisation >= ORGANISATION_MISS_LIMIT) {
    return { kind: 'locked' };
  }
  const parsed = parseCode('voucher', typed);
  if (!parsed.ok) return { kind: 'typo', problem: parsed.problem };
  const reward = await repo.findRewardByCode(db, organisationId, parsed.code);
  if (!reward) {
    await repo.recordCodeMiss(db, organisationId, hash, now);
    return { kind: 'unknown' };
  }
  return {
    kind: 'found',
    reward,
    check: checkRedemption(
      {
        kind: reward.kind,
        status: reward.status,
        validUntil: reward.valid_until,
        redeemedAt: reward.redeemed_at,
      },
      now,
    ),
    status: effectiveStatus({ status: reward.status, validUntil: reward.valid_until }, now),
  };
}

/**
 * Marks a voucher used, once: the compare-and-set on its status means two counters pressing
 * "redeem" at the same moment redeem it once, and the second hears it was already used.
 */
export async function redeem(
  trx: Executor,
  deps: Deps,
  reward: repo.RewardRow,
  via: 'counter' | 'api',
  now: number,
): Promise<boolean> {
  const check = checkRedemption(
    {
      kind: reward.kind,
      status: reward.status,
      validUntil: reward.valid_until,
      redeemedAt: reward.redeemed_at,
    },
    now,
  );
  if (!check.ok) return false;
  const done = await repo.transitionReward(trx, reward.organisation_id, reward.id, ['issued'], {
    status: 'redeemed',
    redeemed_at: now,
    redeemed_via: via,
    updated_at: now,
  });
  if (done) {
    await emit(
      trx,
      deps,
      rewardRedeemed,
      [
        {
          organisationId: reward.organisation_id,
          data: {
            rewardId: reward.id,
            ambassadorId: reward.ambassador_id,
            recipient: reward.recipient,
            redeemedAt: now,
            via,
          },
        },
      ],
      now,
    );
  }
  return done;
}
