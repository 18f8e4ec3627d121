import type { z } from 'zod';
import type { Locale } from '../../db/schema.ts';
import { categorise } from '../../domain/scoring/nps.ts';
import { customerT } from '../../i18n/messages.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { fillText } from '../../domain/placeholders/fill-text.ts';
import { surveyTexts } from '../surveys/survey-settings.ts';
import type { InvitationContextRow } from './responses.repository.ts';
import type { ResponseFormModel, ThanksModel } from './response-page.view.ts';
import { MAX_COMMENT_LENGTH, scoreFromQuery } from './responses.schemas.ts';
import { askedQuestions, organisationSettingsOf, surveySettingsOf } from './responses.service.ts';

/** Branding of a public page: the survey's own colour and logo, else the organisation's. */
export function branding(surveySettingsJson: string, organisationSettingsJson: string) {
  const survey = surveySettingsOf(surveySettingsJson);
  const org = organisationSettingsOf(organisationSettingsJson);
  return {
    brandColor: survey.brandColor ?? org.brandColor,
    logoUrl: survey.logoUrl ?? organisationLogo(org),
    formality: org.formality,
  };
}

/** The texts of a survey page in one language, placeholders filled with real names. */
export function pageTexts(o: {
  surveySettings: string;
  organisationSettings: string;
  organisationName: string;
  locale: Locale;
  employeeName: string | null;
  withOptIns: boolean;
  /** Fills `{firstName}`; the anonymous link knows no name. */
  firstName?: string | null;
}): ResponseFormModel['texts'] {
  const { formality } = organisationSettingsOf(o.organisationSettings);
  const texts = surveyTexts(surveySettingsOf(o.surveySettings), o.locale, formality);
  const asked = askedQuestions({
    survey_settings: o.surveySettings,
    organisation_settings: o.organisationSettings,
    employee_name: o.employeeName,
  });
  const fill = (s: string) =>
    fillText(s, {
      organisation: o.organisationName,
      employee: asked.employeeName,
      firstName: o.firstName ?? null,
    });
  return {
    question: fill(texts.question),
    promoterFollowUp: fill(texts.promoterFollowUp),
    otherFollowUp: fill(texts.otherFollowUp),
    employeeQuestion: asked.employeeName ? fill(texts.employeeQuestion) : null,
    contactOptIn: o.withOptIns && asked.contactOptIn ? fill(texts.contactOptIn) : null,
    ambassadorOptIn: o.withOptIns && asked.ambassadorOptIn ? fill(texts.ambassadorOptIn) : null,
  };
}

/** The thank-you sentence for a score's category. */
export function thanksText(o: {
  surveySettings: string;
  organisationSettings: string;
  organisationName: string;
  locale: Locale;
  score: number;
  firstName?: string | null;
}): string {
  const { formality } = organisationSettingsOf(o.organisationSettings);
  const texts = surveyTexts(surveySettingsOf(o.surveySettings), o.locale, formality);
  const category = categorise(o.score);
  const template =
    category === 'promoter'
      ? texts.thanksPromoter
      : category === 'passive'
        ? texts.thanksPassive
        : texts.thanksDetractor;
  return fillText(template, { organisation: o.organisationName, firstName: o.firstName ?? null });
}

/** The response form of a personal link: the clicked score, else the current answer. */
export function invitationFormModel(
  ctx: InvitationContextRow,
  o: {
    token: string;
    nonce: string;
    clickedScore: number | null;
    values?: ResponseFormModel['values'];
    errors?: ResponseFormModel['errors'];
  },
): ResponseFormModel {
  const locale = ctx.contact_language;
  return {
    locale,
    nonce: o.nonce,
    ...branding(ctx.survey_settings, ctx.organisation_settings),
    organisationName: ctx.organisation_name,
    action: `/r/${o.token}`,
    texts: pageTexts({
      surveySettings: ctx.survey_settings,
      organisationSettings: ctx.organisation_settings,
      organisationName: ctx.organisation_name,
      locale,
      employeeName: ctx.employee_name,
      withOptIns: true,
      firstName: ctx.contact_first_name,
    }),
    values: o.values ?? {
      score: o.clickedScore ?? ctx.response_score,
      comment: ctx.response_comment ?? '',
      employeeScore: ctx.response_employee_score,
      mayContact: ctx.response_may_contact === 1,
      ambassadorOptIn: ctx.response_ambassador_opt_in === 1,
    },
    autosave: true,
    autosaveScore: o.errors ? null : o.clickedScore,
    editableUntil: ctx.response_closes_at,
    errors: o.errors ?? null,
  };
}

/** The thank-you page of a personal link; the answer can be changed while the link is open. */
export function invitationThanksModel(
  ctx: InvitationContextRow,
  o: { token: string; nonce: string; score: number; editable: boolean },
): ThanksModel {
  return {
    locale: ctx.contact_language,
    nonce: o.nonce,
    ...branding(ctx.survey_settings, ctx.organisation_settings),
    organisationName: ctx.organisation_name,
    thanks: thanksText({
      surveySettings: ctx.survey_settings,
      organisationSettings: ctx.organisation_settings,
      organisationName: ctx.organisation_name,
      locale: ctx.contact_language,
      score: o.score,
      firstName: ctx.contact_first_name,
    }),
    changeHref: `/r/${o.token}`,
    editableUntil: o.editable ? ctx.response_closes_at : null,
    blocks: [],
  };
}

/** An open survey behind an anonymous link, in the language the page is shown in. */
export interface AnonymousPage {
  token: string;
  survey: { settings: string; organisation_name: string };
  organisationSettings: string;
  locale: Locale;
  /** The location the link names (`?v=`), kept on every link of the page. */
  location?: string | null;
}

/** `&v=<location>` when the page was opened from a location's link or poster. */
const locationSuffix = (page: AnonymousPage): string =>
  page.location ? `&v=${page.location}` : '';

/** A browser's current answer on an anonymous link. */
export interface AnonymousAnswer {
  score: number;
  comment: string | null;
  closes_at: number;
}

/**
 * The response form of an anonymous link: the browser's current answer (editable until it closes),
 * else a blank form. No opt-ins and no autosave: there is nobody to contact and nothing to resume.
 */
export function anonymousFormModel(
  page: AnonymousPage,
  o: {
    nonce: string;
    /** The page-load token the form carries (`anonymous-page-token.ts`). */
    pageToken: string;
    current: AnonymousAnswer | null;
    values?: ResponseFormModel['values'];
    errors?: ResponseFormModel['errors'];
  },
): ResponseFormModel {
  const other: Locale = page.locale === 'nl' ? 'en' : 'nl';
  return {
    locale: page.locale,
    nonce: o.nonce,
    ...branding(page.survey.settings, page.organisationSettings),
    organisationName: page.survey.organisation_name,
    action: `/s/${page.token}?lang=${page.locale}${locationSuffix(page)}`,
    texts: pageTexts({
      surveySettings: page.survey.settings,
      organisationSettings: page.organisationSettings,
      organisationName: page.survey.organisation_name,
      locale: page.locale,
      employeeName: null,
      withOptIns: false,
    }),
    values: o.values ?? {
      score: o.current ? o.current.score : null,
      comment: o.current ? (o.current.comment ?? '') : '',
      employeeScore: null,
      mayContact: false,
      ambassadorOptIn: false,
    },
    autosave: false,
    autosaveScore: null,
    editableUntil: o.current ? o.current.closes_at : null,
    errors: o.errors ?? null,
    languageSwitch: {
      href: `/s/${page.token}?lang=${other}${locationSuffix(page)}`,
      locale: other,
    },
    pageToken: o.pageToken,
  };
}

/** The thank-you page of an anonymous link; the change link only while the answer is open. */
export function anonymousThanksModel(
  page: AnonymousPage,
  o: { nonce: string; current: AnonymousAnswer; open: boolean },
): ThanksModel {
  return {
    locale: page.locale,
    nonce: o.nonce,
    ...branding(page.survey.settings, page.organisationSettings),
    organisationName: page.survey.organisation_name,
    thanks: thanksText({
      surveySettings: page.survey.settings,
      organisationSettings: page.organisationSettings,
      organisationName: page.survey.organisation_name,
      locale: page.locale,
      score: o.current.score,
    }),
    changeHref: o.open ? `/s/${page.token}?lang=${page.locale}${locationSuffix(page)}` : null,
    editableUntil: o.open ? o.current.closes_at : null,
    // The anonymous link asks no opt-ins and knows no contact: nothing to add.
    blocks: [],
  };
}

/** Turns a form's validation problems into the sentences shown above the fields. */
export function formErrors(
  locale: Locale,
  organisationSettings: string,
  issues: z.core.$ZodIssue[],
): NonNullable<ResponseFormModel['errors']> {
  const t = customerT(locale, organisationSettingsOf(organisationSettings).formality);
  const errors: NonNullable<ResponseFormModel['errors']> = {
    form: t('page.response.errorForm'),
  };
  for (const issue of issues) {
    const field = String(issue.path[0] ?? '');
    if (field === 'score') errors.score = t('page.response.errorScore');
    else if (field === 'employeeScore')
      errors.employeeScore = t('page.response.errorEmployeeScore');
    else if (field === 'comment')
      errors.comment = t('page.response.errorCommentTooLong', { max: MAX_COMMENT_LENGTH });
  }
  return errors;
}

/** What the respondent typed, echoed back into a form that failed validation (never stored). */
export function submittedValues(body: Record<string, unknown>): ResponseFormModel['values'] {
  return {
    score: scoreFromQuery(body.score),
    comment: typeof body.comment === 'string' ? body.comment : '',
    employeeScore: scoreFromQuery(body.employeeScore),
    mayContact: body.mayContact === '1',
    ambassadorOptIn: body.ambassadorOptIn === '1',
  };
}
