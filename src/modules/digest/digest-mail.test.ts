import { describe, expect, it } from 'vitest';
import type { OverviewJson } from '../analytics/analytics.schemas.ts';
import { renderDigestMail } from './digest-mail.ts';
import type { DigestContent } from './digest.service.ts';

const nps = (value: number | null, total: number) => ({
  nps: value,
  interval: value === null ? null : { low: value - 20, high: value + 20, level: 0.95 },
  total,
  promoters: 0,
  passives: 0,
  detractors: 0,
  shares: null,
});

/** An overview whose NPS went from `before` to `after`, the change real or not. */
function overview(before: number | null, after: number | null, real: boolean): OverviewJson {
  const change = before === null || after === null ? null : after - before;
  return {
    ...nps(after, after === null ? 0 : 40),
    period: { from: '2026-11-23', to: '2026-11-29' },
    previousPeriod: { from: '2026-11-16', to: '2026-11-22' },
    distribution: new Array<number>(11).fill(0),
    previous: nps(before, before === null ? 0 : 40),
    change: {
      change,
      real,
      direction: change === null || change === 0 ? 'none' : change > 0 ? 'up' : 'down',
      pValue: real ? 0.004 : 0.31,
      probabilityOfRise: null,
      standardError: null,
    },
    latestComments: [],
    source: 'daily',
  };
}

function digestText(lastWeek: OverviewJson, locale: 'nl' | 'en'): string {
  const content: DigestContent = {
    week: { label: '2026-W48', from: Date.UTC(2026, 10, 22, 23), to: Date.UTC(2026, 10, 29, 23) },
    lastWeek,
    last90: overview(null, null, false),
    cases: null,
    notes: [],
    comments: [],
  };
  return renderDigestMail(
    content,
    { organisationName: 'Garage De Vries', ownCustomersOnly: false },
    locale,
    { app: 'https://nps.garage.test/admin/', unsubscribe: 'https://nps.garage.test/u/digest/x' },
  ).text;
}

/**
 * The digest says how the NPS moved in plain words — from what to what, and whether that is real
 * or could be chance — never with a p-value a manager would have to interpret.
 */
describe('the digest describes an NPS change in plain words', () => {
  it.each([
    [31.4, 38.2, true, 'nl', 'De NPS steeg van +31 naar +38; die stijging is echt.'],
    [31.4, 38.2, false, 'nl', 'De NPS steeg van +31 naar +38; die stijging kan toeval zijn.'],
    [12, -5, true, 'nl', 'De NPS daalde van +12 naar −5; die daling is echt.'],
    [12, -5, false, 'nl', 'De NPS daalde van +12 naar −5; die daling kan toeval zijn.'],
    [20.2, 19.9, false, 'nl', 'De NPS bleef +20, gelijk aan de periode ervoor.'],
    [31.4, 38.2, true, 'en', 'NPS rose from +31 to +38; that rise is real.'],
    [31.4, 38.2, false, 'en', 'NPS rose from +31 to +38; that rise could be chance.'],
    [12, -5, true, 'en', 'NPS fell from +12 to −5; that fall is real.'],
    [12, -5, false, 'en', 'NPS fell from +12 to −5; that fall could be chance.'],
    [0, 0, false, 'en', 'NPS stayed at 0, the same as the period before.'],
  ] as const)('%s → %s (real: %s) in %s', (before, after, real, locale, line) => {
    const text = digestText(overview(before, after, real), locale);
    expect(text).toContain(`- ${line}`);
    expect(text).not.toMatch(/\bp\s*[=<]/);
    expect(text).not.toMatch(/0[.,]004|0[.,]31/);
  });

  it('says there is no comparison when a period has too few answers', () => {
    expect(digestText(overview(null, 40, false), 'nl')).toContain(
      '- Geen vergelijking: te weinig antwoorden in een van beide periodes.',
    );
    expect(digestText(overview(null, 40, false), 'en')).toContain(
      '- No comparison: too few answers in one of the two periods.',
    );
  });
});
