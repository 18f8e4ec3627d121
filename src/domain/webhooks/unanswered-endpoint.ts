/**
 * A receiver that does not answer at all (down, or accepting connections and never replying)
 * costs a worker slot for the whole time limit with every delivery tried. After one attempt got no
 * answer, the endpoint's other deliveries are not tried for a while — each is retried on its own
 * schedule — and then one delivery at a time probes it: an answer (any status) lets the rest
 * through again, silence starts another quiet period. Other endpoints, organisations and jobs keep
 * the worker's slots.
 */

/** How long an endpoint that gave no answer is left alone before one delivery probes it. */
export const QUIET_AFTER_NO_ANSWER_MS = 5 * 60_000;

/** What is known about an endpoint that stopped answering; undefined while it answers. */
export type Silence = Readonly<{ quietUntil: number; probing: boolean }> | undefined;

/** Whether to try a delivery now: `send` as usual, `probe` as the one test, or `skip`. */
export function tryNow(silence: Silence, now: number): 'send' | 'probe' | 'skip' {
  if (silence === undefined) return 'send';
  if (now < silence.quietUntil || silence.probing) return 'skip';
  return 'probe';
}

/** The state after a probe starts. */
export function probing(silence: NonNullable<Silence>): Silence {
  return { ...silence, probing: true };
}

/** The state after an attempt: an answer of any status clears it, silence starts a quiet period. */
export function afterAttempt(answered: boolean, now: number): Silence {
  return answered ? undefined : { quietUntil: now + QUIET_AFTER_NO_ANSWER_MS, probing: false };
}
