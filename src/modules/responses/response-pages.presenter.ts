import type { Locale } from '../../db/schema.ts';
import { categorise } from '../../domain/scoring/nps.ts';
import { fillText, surveyTexts } from '../surveys/survey-settings.ts';
import type { InvitationContextRow } from './responses.repository.ts';
import type { ResponseFormModel } from './response-page.view.ts';
import { askedQuestions, organisationSettingsOf, surveySettingsOf } from './responses.service.ts';

/** Branding of a public page: the survey's own colour and logo, else the organisation's. */
export function branding(surveySettingsJson: string, organisationSettingsJson: string) {
  const survey = surveySettingsOf(surveySettingsJson);
  const org = organisationSettingsOf(organisationSettingsJson);
  return {
    brandColor: survey.brandColor ?? org.brandColor,
    logoUrl: survey.logoUrl ?? org.logoUrl,
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
}): ResponseFormModel['texts'] {
  const texts = surveyTexts(surveySettingsOf(o.surveySettings), o.locale);
  const asked = askedQuestions({
    survey_settings: o.surveySettings,
    organisation_settings: o.organisationSettings,
    employee_name: o.employeeName,
  });
  const fill = (s: string) =>
    fillText(s, { organisation: o.organisationName, employee: asked.employeeName });
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
  organisationName: string;
  locale: Locale;
  score: number;
}): string {
  const texts = surveyTexts(surveySettingsOf(o.surveySettings), o.locale);
  const category = categorise(o.score);
  const template =
    category === 'promoter'
      ? texts.thanksPromoter
      : category === 'passive'
        ? texts.thanksPassive
        : texts.thanksDetractor;
  return fillText(template, { organisation: o.organisationName });
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
