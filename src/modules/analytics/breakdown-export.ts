import type { Readable } from 'node:stream';
import type { Executor } from '../../db/database.ts';
import { t } from '../../i18n/messages.ts';
import type { Actor } from '../auth/actor.ts';
import type { BreakdownInput } from './analytics.schemas.ts';
import { addLocalDays, localDate } from './calendar.ts';
import { resultsBreakdown } from './insight.service.ts';
import { streamXlsx } from './xlsx-export.ts';

/** One decimal on screen; the cell keeps the exact value the JSON breakdown answers. */
const ONE_DECIMAL = '0.0';

/**
 * The breakdown as an .xlsx workbook: one row per group the reader may see, in the order of the
 * screen (by the shrunk estimate), with n, raw NPS and its interval, the estimate shrunk toward the
 * organisation with its interval, whether the group is below the minimum n, and its place in the
 * funnel plot. It IS the JSON breakdown (`resultsBreakdown`), so the role scope is the same: an
 * account manager gets their own row only and no team ranking (403). The whole breakdown is
 * computed before the first byte, so a refusal is still a clean 4xx. Returns the file name too.
 */
export async function exportBreakdownXlsx(
  db: Executor,
  actor: Actor,
  input: BreakdownInput,
  now: number,
): Promise<{ stream: Readable; filename: string }> {
  const b = await resultsBreakdown(db, actor, input, now);
  const locale = actor.locale;
  const header = t(locale, 'xlsx.breakdown.columns', {
    dimension: t(locale, `xlsx.breakdown.dim.${b.dimension}`),
    min: b.minimumN,
  }).split(';');
  const rows = b.groups.map((g) => [
    g.label === null
      ? t(locale, 'xlsx.breakdown.none')
      : b.dimension === 'channel' && (g.label === 'email' || g.label === 'anonymous')
        ? t(locale, `xlsx.breakdown.channel.${g.label}`)
        : g.label,
    g.n,
    g.nps,
    g.interval?.low ?? null,
    g.interval?.high ?? null,
    g.shrunk?.estimate ?? null,
    g.shrunk?.low ?? null,
    g.shrunk?.high ?? null,
    t(locale, g.belowMinimum ? 'csv.yes' : 'csv.no'),
    g.funnel === null ? null : t(locale, `xlsx.breakdown.pos.${g.funnel}`),
  ]);
  async function* pages() {
    yield rows;
  }
  const stream = streamXlsx(t(locale, 'xlsx.breakdown.sheet'), header, pages(), {
    numberFormats: [
      undefined,
      undefined,
      ONE_DECIMAL,
      ONE_DECIMAL,
      ONE_DECIMAL,
      ONE_DECIMAL,
      ONE_DECIMAL,
      ONE_DECIMAL,
    ],
  });
  // The period's first and last local day (its `to` is the exclusive midnight after it).
  const day = (ms: number) => {
    const d = localDate(ms);
    return `${d.year}-${String(d.month + 1).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;
  };
  const from = Date.parse(b.period.from);
  const last = addLocalDays(Date.parse(b.period.to), -1);
  const filename = `${t(locale, `xlsx.breakdown.file.${b.dimension}`)}-${day(from)}-${day(last)}.xlsx`;
  return { stream, filename };
}
