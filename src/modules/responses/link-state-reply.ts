import type { FastifyReply } from 'fastify';
import type { Locale } from '../../db/schema.ts';
import { sendMessage } from '../public-pages/public-replies.ts';
import type { MessagePageKind } from '../public-pages/message-page.view.ts';
import { branding } from './response-pages.presenter.ts';
import type { LinkState } from './response-rules.ts';

/** The page for a link that cannot take an answer now, in the contact's language when known. */
export function sendLinkState(
  reply: FastifyReply,
  state: LinkState,
  ctx:
    | {
        contact_language: Locale;
        organisation_name: string;
        survey_settings: string;
        organisation_settings: string;
      }
    | undefined,
  fallbackLocale: Locale,
) {
  const kind: MessagePageKind = state === 'open' ? 'unknown' : state;
  if (!ctx || kind === 'unknown') return sendMessage(reply, 'unknown', fallbackLocale);
  return sendMessage(reply, kind, ctx.contact_language, {
    ...branding(ctx.survey_settings, ctx.organisation_settings),
    organisationName: ctx.organisation_name,
  });
}
