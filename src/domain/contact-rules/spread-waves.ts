/**
 * Spreading a customer base over waves, for continuous NPS: "one twelfth of the customers each
 * month" instead of everybody at once. Continuous measurement shows a trend, spreads the follow-up
 * work of the closed loop, and never asks a contact more than once per cycle.
 */

/** The wave a contact belongs to and when that wave is sent. */
export type WaveAssignment = Readonly<{
  contactId: string;
  /** 0-based wave number. */
  waveIndex: number;
  /** Start of the wave, ms since the epoch; start ≤ sendAt < end. */
  sendAt: number;
}>;

export type SpreadWavesInput = Readonly<{
  contactIds: readonly string[];
  /** Start of the period (inclusive), ms since the epoch. */
  start: number;
  /** End of the period (exclusive), ms since the epoch. */
  end: number;
  /** Number of waves, e.g. 12 for monthly waves over a year. */
  waves: number;
  /** Any string, e.g. the survey id: the same seed gives the same waves. */
  seed: string;
}>;

/** 32-bit FNV-1a followed by the murmur3 finaliser, which spreads similar ids well. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/**
 * Assigns each contact to one of `waves` evenly spaced waves over [start, end).
 *
 * - Even: wave sizes differ by at most one.
 * - Random but reproducible: contacts are ordered by a hash of (seed, id), so a wave is a random
 *   sample of the base (no "all A–B names in January"), and re-running with the same seed, in any
 *   input order, gives the same waves.
 * - Stable: the hash order is cut into consecutive blocks, so adding or removing a few contacts
 *   moves only the contacts near a block boundary, not everybody.
 *
 * Wave k is sent at start + ⌊k · (end − start) / waves⌋. Duplicate ids are assigned once. The
 * frequency rules still apply at send time (`decideInvitation`); waves only decide when to ask.
 *
 * @returns one assignment per distinct contact id, in order of first appearance.
 * @throws RangeError when waves is not a positive integer or the period is empty or not finite.
 */
export function spreadWaves(input: SpreadWavesInput): WaveAssignment[] {
  const { contactIds, start, end, waves, seed } = input;
  if (!Number.isInteger(waves) || waves < 1) {
    throw new RangeError(`spreadWaves: waves must be a positive integer, got ${waves}`);
  }
  if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) {
    throw new RangeError(`spreadWaves: need finite start < end, got [${start}, ${end})`);
  }

  const distinct = [...new Set(contactIds)];
  const ranked = distinct
    .map((contactId) => ({ contactId, key: hash32(`${seed}\u0000${contactId}`) }))
    .sort((a, b) => a.key - b.key || (a.contactId < b.contactId ? -1 : 1));

  const count = ranked.length;
  const waveByContact = new Map<string, number>();
  ranked.forEach(({ contactId }, position) => {
    waveByContact.set(contactId, Math.floor((position * waves) / count));
  });

  const period = end - start;
  return distinct.map((contactId) => {
    const waveIndex = waveByContact.get(contactId) ?? 0;
    return { contactId, waveIndex, sendAt: start + Math.floor((waveIndex * period) / waves) };
  });
}
