import type { Config } from '../../config.ts';
import type { Executor } from '../../db/database.ts';
import type { Locale } from '../../db/schema.ts';
import { t } from '../../i18n/messages.ts';
import type { Actor } from '../auth/actor.ts';
import { renderInvitationEmail } from '../email/render-invitation-email.ts';
import { organisationLogo } from '../organisations/logos.service.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { newNonce } from '../public-pages/public-headers.ts';
import { renderResponseForm, renderThanks } from './response-page.view.ts';
import { pageTexts, thanksText } from './response-pages.presenter.ts';
import { notFound } from '../../shared/errors.ts';
import {
  parseSurveySettings,
  surveyTexts,
  type SurveySettings,
} from '../surveys/survey-settings.ts';
import type { PreviewSurveyInput } from '../surveys/surveys.schemas.ts';
import { getSurveyRow, mergeSurveySettings } from '../surveys/surveys.service.ts';

/** The score shown for each category in the preview of the response and thank-you pages. */
const SAMPLE_SCORE = { promoter: 9, passive: 7, detractor: 3 } as const;

/** The survey's settings as the editor has them now: the stored ones with the unsaved changes. */
async function editedSurvey(db: Executor, actor: Actor, id: string, input: PreviewSurveyInput) {
  const row = await getSurveyRow(db, actor.organisationId, id);
  const stored = parseSurveySettings(row.settings);
  const settings: SurveySettings = input.settings
    ? mergeSurveySettings(stored, input.settings)
    : stored;
  const org = await findOrganisation(db, actor.organisationId);
  if (!org) throw notFound('organisation');
  return { settings, org, orgSettings: parseSettings(org.settings) };
}

/**
 * The invitation email as a customer would get it, rendered by the same code as the real one, with
 * a sample first name and links that lead nowhere (a preview must never be answerable).
 */
export function previewEmail(
  locale: Locale,
  o: {
    settings: SurveySettings;
    organisationName: string;
    orgSettings: ReturnType<typeof parseSettings>;
    logoBase: string;
    reminder: boolean;
    scoreUrl?: (score: number) => string;
    unsubscribeUrl?: string;
  },
) {
  const firstName = t(locale, 'preview.sampleFirstName');
  return renderInvitationEmail({
    locale,
    formality: o.orgSettings.formality,
    organisationName: o.organisationName,
    texts: surveyTexts(o.settings, locale, o.orgSettings.formality),
    greeting: { kind: 'firstName', name: firstName },
    firstName,
    employeeName: t(locale, 'preview.sampleEmployee'),
    brandColor: o.settings.brandColor ?? o.orgSettings.brandColor,
    logoUrl: o.settings.logoUrl ?? organisationLogo(o.orgSettings, o.logoBase),
    scoreUrl: o.scoreUrl ?? (() => '#'),
    unsubscribeUrl: o.unsubscribeUrl ?? '#',
    reminder: o.reminder,
  });
}

/**
 * A live preview for the survey editor: the email (or its reminder), the response page with the
 * follow-up of a category, or the thank-you page of a category — with the editor's unsaved texts
 * and options, without storing anything.
 */
export async function previewSurvey(
  db: Executor,
  config: Pick<Config, 'publicUrl'>,
  actor: Actor,
  id: string,
  input: PreviewSurveyInput,
): Promise<{ subject: string | null; html: string }> {
  const { settings, org, orgSettings } = await editedSurvey(db, actor, id, input);
  const locale = input.locale;
  if (input.view === 'email' || input.view === 'reminder') {
    const email = previewEmail(locale, {
      settings,
      organisationName: org.name,
      orgSettings,
      // Relative in the admin app's frame: the logo loads from this installation, whatever
      // PUBLIC_URL says; the real email (and the test mail) use the public address.
      logoBase: '',
      reminder: input.view === 'reminder',
    });
    return { subject: email.subject, html: email.html };
  }
  const surveySettings = JSON.stringify(settings);
  const score = SAMPLE_SCORE[input.category];
  const firstName = t(locale, 'preview.sampleFirstName');
  const common = {
    locale,
    formality: orgSettings.formality,
    nonce: newNonce(),
    brandColor: settings.brandColor ?? orgSettings.brandColor,
    // Relative, so the admin app's frame loads an uploaded logo from this installation.
    logoUrl: settings.logoUrl ?? organisationLogo(orgSettings),
    organisationName: org.name,
  };
  if (input.view === 'thanks') {
    return {
      subject: null,
      html: renderThanks({
        ...common,
        thanks: thanksText({
          surveySettings,
          organisationSettings: org.settings,
          organisationName: org.name,
          locale,
          score,
          firstName,
        }),
        changeHref: null,
        editableUntil: null,
        blocks: [],
      }),
    };
  }
  return {
    subject: null,
    html: renderResponseForm({
      ...common,
      action: '#',
      texts: pageTexts({
        surveySettings,
        organisationSettings: org.settings,
        organisationName: org.name,
        locale,
        employeeName: t(locale, 'preview.sampleEmployee'),
        withOptIns: true,
        firstName,
      }),
      values: {
        score,
        comment: '',
        employeeScore: null,
        mayContact: false,
        ambassadorOptIn: false,
      },
      autosave: false,
      autosaveScore: null,
      editableUntil: null,
      errors: null,
    }),
  };
}

/** The editor's "Testmail naar mij": the invitation as it stands, with harmless links. */
export async function surveyTestMail(
  db: Executor,
  config: Pick<Config, 'publicUrl'>,
  actor: Actor,
  id: string,
  input: Pick<PreviewSurveyInput, 'locale' | 'settings'>,
) {
  const { settings, org, orgSettings } = await editedSurvey(db, actor, id, {
    ...input,
    view: 'email',
    category: 'promoter',
  });
  const editor = `${config.publicUrl.replace(/\/+$/, '')}/admin/surveys/${id}`;
  const email = previewEmail(input.locale, {
    settings,
    organisationName: org.name,
    orgSettings,
    logoBase: config.publicUrl,
    reminder: false,
    // A test mail must not be answerable: every link opens the survey in the admin app.
    scoreUrl: () => editor,
    unsubscribeUrl: editor,
  });
  return {
    subject: t(input.locale, 'preview.testSubject', { subject: email.subject }),
    text: email.text,
    html: email.html,
  };
}
