import type { Executor } from '../../db/database.ts';
import { computeNps } from '../../domain/scoring/nps.ts';
import {
  DEFAULT_THEMES,
  analyseComment,
  compileThemes,
  knownStems,
  suggestTerms,
  type AnalysedComment,
} from '../../domain/themes/comment-themes.ts';
import { iso } from '../../shared/time.ts';
import type { Actor } from '../auth/actor.ts';
import { recordScope } from '../auth/record-scope.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './analytics.repository.ts';
import type { ThemesInput, ThemesJson } from './analytics.schemas.ts';
import { resolvePeriods } from './insight.service.ts';

/**
 * The newest comments a theme report reads. Text analysis needs the words, so unlike the NPS
 * figures (aggregated in SQL) these comments are read into the process — a bounded number, page by
 * page, so memory stays flat however many answers the organisation has.
 */
export const THEME_COMMENT_LIMIT = 5000;
const PAGE = 500;
const QUOTES = 3;

/**
 * Comment themes for a period: per theme of the organisation's dictionary (or the defaults) how
 * many comments mention it, the NPS of those answers with its interval, how many read positive
 * and negative, and example quotes; plus suggested new terms that detractors use more than
 * promoters. Respects the actor's record scope (an account manager sees their own customers).
 */
export async function themesReport(
  db: Executor,
  actor: Actor,
  input: ThemesInput,
  now: number,
): Promise<ThemesJson> {
  const org = await findOrganisation(db, actor.organisationId);
  const settings = org ? parseSettings(org.settings) : null;
  const dictionary = settings?.themes ?? DEFAULT_THEMES;
  const compiled = compileThemes(dictionary);
  const periods = resolvePeriods(input, now);
  const filter: repo.ResultsFilter = {
    organisationId: actor.organisationId,
    scope: recordScope(actor),
    surveyId: input.surveyId,
    withComment: true,
    ...periods.current,
  };
  type Row = repo.ResponseListRow & { analysis: AnalysedComment; comment: string };
  const rows: Row[] = [];
  let after: { answeredAt: number; id: string } | undefined;
  let capped = false;
  for (;;) {
    const page = await repo.listResponses(db, filter, { limit: PAGE, after });
    for (const r of page.slice(0, PAGE)) {
      if (rows.length >= THEME_COMMENT_LIMIT) {
        capped = true;
        break;
      }
      const comment = r.comment ?? '';
      const language = r.locale === 'en' ? 'en' : 'nl';
      rows.push({ ...r, comment, analysis: analyseComment(comment, compiled, language) });
    }
    const last = page[Math.min(page.length, PAGE) - 1];
    if (capped || page.length <= PAGE || !last) break;
    after = { answeredAt: last.answered_at, id: last.id };
  }

  const themes = dictionary.map((theme) => {
    const mentions = rows.filter((r) => r.analysis.themes.includes(theme.key));
    const counts = { promoters: 0, passives: 0, detractors: 0 };
    for (const r of mentions) {
      if (r.category === 'promoter') counts.promoters++;
      else if (r.category === 'passive') counts.passives++;
      else counts.detractors++;
    }
    const nps = computeNps(counts);
    return {
      key: theme.key,
      label: theme.label,
      count: mentions.length,
      nps: nps.nps,
      interval: nps.interval,
      total: nps.total,
      promoters: nps.promoters,
      passives: nps.passives,
      detractors: nps.detractors,
      shares:
        nps.total === 0
          ? null
          : {
              promoters: nps.promoterShare,
              passives: nps.passiveShare,
              detractors: nps.detractorShare,
            },
      positive: mentions.filter((r) => r.analysis.sentiment === 'positive').length,
      negative: mentions.filter((r) => r.analysis.sentiment === 'negative').length,
      quotes: mentions.slice(0, QUOTES).map((r) => ({
        id: r.id,
        score: r.score,
        category: r.category,
        comment: r.comment,
        sentiment: r.analysis.sentiment,
        answeredAt: iso(r.answered_at),
      })),
    };
  });
  themes.sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

  // Suggestions: terms of detractors against promoters, shown as a detractor wrote them.
  const surface = new Map<string, Map<string, number>>();
  for (const r of rows) {
    r.analysis.terms.forEach((term, i) => {
      const word = r.analysis.words[i] ?? term;
      const forms = surface.get(term) ?? new Map<string, number>();
      forms.set(word, (forms.get(word) ?? 0) + 1);
      surface.set(term, forms);
    });
  }
  const suggestions = suggestTerms(
    rows.filter((r) => r.category === 'detractor').map((r) => r.analysis.terms),
    rows.filter((r) => r.category === 'promoter').map((r) => r.analysis.terms),
    { known: knownStems(compiled) },
  )
    .slice(0, 10)
    .map((s) => ({
      ...s,
      example:
        [...(surface.get(s.term) ?? new Map<string, number>()).entries()].sort(
          (a, b) => b[1] - a[1],
        )[0]?.[0] ?? s.term,
    }));
  return {
    period: { from: iso(periods.current.from), to: iso(periods.current.to) },
    analysed: rows.length,
    limit: THEME_COMMENT_LIMIT,
    capped,
    defaults: settings?.themes == null,
    dictionary: dictionary.map((d) => ({ key: d.key, label: d.label, terms: [...d.terms] })),
    themes,
    withoutTheme: rows.filter((r) => r.analysis.themes.length === 0).length,
    suggestions,
  };
}
