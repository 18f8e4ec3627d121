import type { Locale } from '../../db/schema.ts';
import { categorise } from '../../domain/scoring/nps.ts';
import { customerT, type Formality } from '../../i18n/messages.ts';
import { formatMoment } from '../public-pages/format.ts';
import { escapeHtml, html } from '../public-pages/html.ts';
import { renderPage } from '../public-pages/page-layout.ts';
import { MAX_COMMENT_LENGTH } from './responses.schemas.ts';
import type { ThankYouBlock, ThankYouLink } from './thank-you.slot.ts';

/** Everything the response form shows; texts are final (placeholders filled), not yet escaped. */
export interface ResponseFormModel {
  locale: Locale;
  /** The organisation's voice for the Dutch texts. */
  formality: Formality;
  nonce: string;
  brandColor: string;
  logoUrl: string | null;
  organisationName: string;
  /** Where the form posts (and the script sends the one-click score). */
  action: string;
  texts: {
    question: string;
    promoterFollowUp: string;
    otherFollowUp: string;
    /** Null when the employee question is not asked. */
    employeeQuestion: string | null;
    contactOptIn: string | null;
    ambassadorOptIn: string | null;
  };
  values: {
    score: number | null;
    comment: string;
    employeeScore: number | null;
    mayContact: boolean;
    ambassadorOptIn: boolean;
  };
  /** Personal links: the script posts the score as soon as it is picked. */
  autosave: boolean;
  /** The score the script posts as soon as the page opens (the score clicked in the email). */
  autosaveScore: number | null;
  /** Set when the respondent already answered: until when they may change it. */
  editableUntil: number | null;
  errors: { score?: string; employeeScore?: string; comment?: string; form?: string } | null;
  languageSwitch?: { href: string; locale: Locale } | null;
  /** The anonymous form's signed page-load token (its POST limit counts per page load). */
  pageToken?: string;
}

/**
 * The page script, the same bytes on every page (CSP nonce, no third party). It posts the one-click
 * score with `keepalive` so a person who closes the tab still counts, re-posts when they pick another
 * score, says "Uw score is opgeslagen" once the server confirmed it (so nobody thinks they still
 * have to fill in the rest), and swaps the follow-up question and the ambassador opt-in by category. A mail scanner
 * that does not run scripts records nothing; without JavaScript the form still works.
 */
const SCRIPT = `(function(){var f=document.getElementById("answer");if(!f||!window.fetch)return;var d=f.dataset;
var ok=document.getElementById("score-saved");
function save(s){try{fetch(f.action,{method:"POST",headers:{"content-type":"application/json"},body:JSON.stringify({score:s}),keepalive:true,credentials:"same-origin"}).then(function(r){if(r.ok&&ok)ok.hidden=false}).catch(function(){})}catch(e){}}
if(d.autosave)save(Number(d.autosave));
var l=document.getElementById("follow-up-label"),a=document.getElementById("ambassador-row");
f.addEventListener("change",function(e){var x=e.target;if(!x||x.name!=="score")return;var n=Number(x.value),p=n>=9;if(l)l.textContent=p?d.promoter:d.other;if(a)a.hidden=!p;if(d.autosave!==undefined)save(n);});})();`;

function scale(o: {
  name: string;
  idPrefix: string;
  checked: number | null;
  required: boolean;
  legend: string;
  hint: string;
  error: string | undefined;
}): string {
  const hintId = `${o.idPrefix}-hint`;
  const errorId = `${o.idPrefix}-error`;
  return html([
    `<fieldset aria-describedby="${hintId}${o.error ? ` ${errorId}` : ''}">`,
    `<legend>${escapeHtml(o.legend)}</legend>`,
    o.error && `<p class="error" id="${errorId}">${escapeHtml(o.error)}</p>`,
    '<div class="scale">',
    ...Array.from({ length: 11 }, (_, i) =>
      html([
        `<input type="radio" name="${o.name}" id="${o.idPrefix}-${i}" value="${i}"`,
        o.required && ' required',
        o.checked === i && ' checked',
        '>',
        `<label for="${o.idPrefix}-${i}">${i}</label>`,
      ]),
    ),
    '</div>',
    `<p class="hint" id="${hintId}">${escapeHtml(o.hint)}</p>`,
    '</fieldset>',
  ]);
}

/** The question, the clicked score preselected, the follow-up, optional questions and opt-ins. */
export function renderResponseForm(m: ResponseFormModel): string {
  const L = m.locale;
  const t = customerT(L, m.formality);
  const category = m.values.score === null ? null : categorise(m.values.score);
  const followUp =
    category === null
      ? t('page.response.followUpNeutral')
      : category === 'promoter'
        ? m.texts.promoterFollowUp
        : m.texts.otherFollowUp;
  const err = m.errors ?? {};
  const body = html([
    m.editableUntil !== null &&
      `<p class="notice">${escapeHtml(t('page.response.editing', { date: formatMoment(m.editableUntil, L) }))}</p>`,
    err.form && `<p class="error" role="alert">${escapeHtml(err.form)}</p>`,
    m.autosave &&
      `<p class="notice" id="score-saved" role="status" hidden>${escapeHtml(t('page.response.scoreSaved'))}</p>`,
    `<form id="answer" method="post" action="${escapeHtml(m.action)}"`,
    ` data-promoter="${escapeHtml(m.texts.promoterFollowUp)}" data-other="${escapeHtml(m.texts.otherFollowUp)}"`,
    m.autosave ? ` data-autosave="${m.autosaveScore ?? ''}"` : '',
    '>',
    m.pageToken !== undefined &&
      `<input type="hidden" name="pageToken" value="${escapeHtml(m.pageToken)}">`,
    scale({
      name: 'score',
      idPrefix: 'score',
      checked: m.values.score,
      required: true,
      legend: m.texts.question,
      hint: t('page.response.scaleHint'),
      error: err.score,
    }),
    '<div class="field">',
    `<label for="comment" id="follow-up-label">${escapeHtml(followUp)}</label>`,
    err.comment && `<p class="error" id="comment-error">${escapeHtml(err.comment)}</p>`,
    `<textarea id="comment" name="comment" rows="4" maxlength="${MAX_COMMENT_LENGTH}" aria-describedby="comment-hint${err.comment ? ' comment-error' : ''}">${escapeHtml(m.values.comment)}</textarea>`,
    `<p class="hint" id="comment-hint">${escapeHtml(t('page.response.commentHint', { max: MAX_COMMENT_LENGTH }))}</p>`,
    '</div>',
    m.texts.employeeQuestion &&
      scale({
        name: 'employeeScore',
        idPrefix: 'employee',
        checked: m.values.employeeScore,
        required: false,
        legend: m.texts.employeeQuestion,
        hint: t('page.response.employeeHint'),
        error: err.employeeScore,
      }),
    (m.texts.contactOptIn || m.texts.ambassadorOptIn) &&
      html([
        '<fieldset>',
        `<legend>${escapeHtml(t('page.response.optInsLegend'))}</legend>`,
        m.texts.contactOptIn &&
          `<div class="check"><input type="checkbox" id="may-contact" name="mayContact" value="1"${m.values.mayContact ? ' checked' : ''}><label for="may-contact">${escapeHtml(m.texts.contactOptIn)}</label></div>`,
        m.texts.ambassadorOptIn &&
          `<div class="check" id="ambassador-row"${category !== null && category !== 'promoter' ? ' hidden' : ''}><input type="checkbox" id="ambassador" name="ambassadorOptIn" value="1"${m.values.ambassadorOptIn ? ' checked' : ''}><label for="ambassador">${escapeHtml(m.texts.ambassadorOptIn)}</label></div>`,
        '</fieldset>',
      ]),
    `<button type="submit">${escapeHtml(t(m.editableUntil !== null ? 'page.response.update' : 'page.response.submit'))}</button>`,
    '</form>',
  ]);
  return renderPage({
    locale: L,
    title: m.texts.question,
    nonce: m.nonce,
    brandColor: m.brandColor,
    organisationName: m.organisationName,
    logoUrl: m.logoUrl,
    body,
    script: SCRIPT,
    languageSwitch: m.languageSwitch
      ? {
          href: m.languageSwitch.href,
          locale: m.languageSwitch.locale,
          text: t('page.languageSwitch'),
          label: t('page.languageSwitchLabel'),
        }
      : null,
  });
}

/** What the thank-you page shows. */
export interface ThanksModel {
  locale: Locale;
  formality: Formality;
  nonce: string;
  brandColor: string;
  logoUrl: string | null;
  organisationName: string;
  thanks: string;
  changeHref: string | null;
  editableUntil: number | null;
  /** What other modules add (the thank-you slot): the ambassador step, the review request, … */
  blocks: ThankYouBlock[];
}

/** The thank-you by category, with until when (and where) the answer can still be changed. */
export function renderThanks(m: ThanksModel): string {
  const L = m.locale;
  const t = customerT(L, m.formality);
  const title = t('page.thanks.title');
  return renderPage({
    locale: L,
    title,
    nonce: m.nonce,
    brandColor: m.brandColor,
    organisationName: m.organisationName,
    logoUrl: m.logoUrl,
    body: html([
      `<h1>${escapeHtml(title)}</h1>`,
      `<p>${escapeHtml(m.thanks)}</p>`,
      m.editableUntil !== null &&
        m.changeHref &&
        `<p>${escapeHtml(t('page.thanks.canChange', { date: formatMoment(m.editableUntil, L) }))} <a href="${escapeHtml(m.changeHref)}">${escapeHtml(t('page.thanks.changeLink'))}</a></p>`,
      ...m.blocks.map(renderBlock),
    ]),
  });
}

const linkAttributes = (l: ThankYouLink): string =>
  `href="${escapeHtml(l.href)}"${l.external ? ' target="_blank" rel="noopener noreferrer"' : ''}`;

/** One module's block on the thank-you page, escaped here (contributors write no HTML). */
function renderBlock(b: ThankYouBlock): string {
  const key = escapeHtml(b.key);
  return html([
    `<section class="next-step ${key}" aria-labelledby="${key}-title"><h2 id="${key}-title">${escapeHtml(b.title)}</h2>`,
    ...b.paragraphs.map((p) => {
      const text = p.strong ? `<strong>${escapeHtml(p.text)}</strong>` : escapeHtml(p.text);
      const link = p.link ? ` <a ${linkAttributes(p.link)}>${escapeHtml(p.link.label)}</a>` : '';
      return `<p>${text}${link}</p>`;
    }),
    ...b.buttons.map(
      (l) => `<p><a class="button" ${linkAttributes(l)}>${escapeHtml(l.label)}</a></p>`,
    ),
    `</section>`,
  ]);
}
