import { customerT } from '../../i18n/messages.ts';
import { contribute } from '../../platform/slots.ts';
import { thankYouSlot } from '../responses/thank-you.slot.ts';
import { parseProgrammeSettings } from './programme-settings.ts';

/**
 * The promoter's next step on the thank-you page (issue 12), contributed through the responses
 * module's thank-you slot: after a 9 or 10, when the organisation runs a programme, what being an
 * ambassador means, how to become one (where the survey's form asks it), and for a respondent who
 * opted in the way to their own share page. Nothing when there is no running programme.
 */
export const ambassadorNextStep = contribute(
  thankYouSlot,
  'ambassadors.next-step',
  async (input, deps) => {
    if (input.score < 9) return null;
    const db = deps.db.kysely;
    const programme = await db
      .selectFrom('referral_programmes')
      .select(['enabled', 'settings'])
      .where('organisation_id', '=', input.organisationId)
      .executeTakeFirst();
    if (!programme || programme.enabled !== 1) return null;
    const ambassador = input.contactId
      ? await db
          .selectFrom('ambassadors')
          .select(['share_token', 'status'])
          .where('organisation_id', '=', input.organisationId)
          .where('contact_id', '=', input.contactId)
          .executeTakeFirst()
      : undefined;
    const t = customerT(input.locale, input.formality);
    const organisation = input.organisationName;
    const active = ambassador?.status === 'active';
    // "Tick the box on your answer" only where the form has that box and it is not ticked yet
    // (an ambassador the business removed stays removed, whatever their answer carries), and not
    // to an ambassador the business paused (ticking it would not make them active).
    const mayJoin =
      !ambassador || ambassador.status === 'removed'
        ? input.asksAmbassadorOptIn && !input.ambassadorOptIn && input.changeHref !== null
        : false;
    return {
      key: 'ambassador',
      title: t('page.thanks.amb.title', { organisation }),
      paragraphs: [
        { text: t('page.thanks.amb.what', { organisation }) },
        { text: parseProgrammeSettings(programme.settings).offer, strong: true },
        { text: t('page.thanks.amb.name') },
        ...(mayJoin && input.changeHref
          ? [
              {
                text: t('page.thanks.amb.join'),
                link: { label: t('page.thanks.changeLink'), href: input.changeHref },
              },
            ]
          : []),
      ],
      buttons:
        active && ambassador
          ? [{ label: t('page.thanks.amb.toPage'), href: `/a/${ambassador.share_token}` }]
          : [],
    };
  },
);
