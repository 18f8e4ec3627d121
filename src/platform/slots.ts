import type { Deps, SlotContribution, SlotType } from './contract.ts';

/** Declares a slot: a place in the owner's output that other modules fill (see contract.ts). */
export function defineSlot<I, O>(name: string): SlotType<I, O> {
  return { name };
}

/** A module's contribution to a slot, listed in its `defineModule({ contributions })`. */
export function contribute<I, O>(
  slot: SlotType<I, O>,
  name: string,
  fn: (input: I, deps: Deps) => Promise<O | null>,
): SlotContribution<I, O> {
  return { slot, name, contribute: fn };
}

/**
 * Every contribution's answer for one input, in module-list order, without the ones that had
 * nothing to add. Contributions run one after another (they usually read the same database
 * connection).
 */
export async function collectSlot<I, O>(
  deps: Deps,
  slot: SlotType<I, O>,
  input: I,
): Promise<{ name: string; value: O }[]> {
  const answers: { name: string; value: O }[] = [];
  for (const c of deps.platform.contributionsTo(slot.name) as readonly SlotContribution<I, O>[]) {
    const value = await c.contribute(input, deps);
    if (value !== null) answers.push({ name: c.name, value });
  }
  return answers;
}

export type { SlotContribution, SlotType };
