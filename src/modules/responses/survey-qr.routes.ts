import { describe } from '../../platform/http/operation.ts';
import type { FastifyInstance } from 'fastify';
import QRCode from 'qrcode';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { AppError, notFound } from '../../shared/errors.ts';
import { idParams, parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { findLocation } from '../locations/locations.repository.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { newNonce, setPublicPageHeaders } from '../public-pages/public-headers.ts';
import { findSurvey } from '../surveys/surveys.repository.ts';
import { renderPoster } from './poster-page.view.ts';
import { branding, pageTexts } from './response-pages.presenter.ts';

/** `locationId`: a location's own code, whose answers keep that location (`?v=` on the link). */
const qrQuery = z.strictObject({ locationId: z.uuid().optional() });
const posterQuery = qrQuery.extend({ lang: z.enum(['nl', 'en']).optional() });

/** The anonymous link of a survey (of one location), as printed on the QR code. */
const anonymousUrl = (publicUrl: string, token: string, locationId?: string): string =>
  `${publicUrl.replace(/\/+$/, '')}/s/${token}${locationId ? `?v=${locationId}` : ''}`;

/** The location a QR code is asked for must be one of the organisation's (404 otherwise). */
async function requireLocation(
  db: Deps['db']['kysely'],
  organisationId: string,
  locationId: string | undefined,
): Promise<void> {
  if (locationId && !(await findLocation(db, organisationId, locationId))) {
    throw notFound('location');
  }
}

/**
 * The QR code of a survey's anonymous link (for walk-in customers at the counter), as an SVG for
 * print shops and as a printable A4 poster in Dutch or English.
 */
export async function surveyQrRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  app.get(
    '/api/v1/surveys/:id/qr.svg',
    describe({
      tag: 'surveys',
      summary: 'QR code of the anonymous link, optionally of one location (not for a draft)',
      query: qrQuery,
      produces: 'image/svg+xml',
      errors: ['survey_not_active'],
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'surveys:read');
      const { id } = parseInput(idParams, request.params);
      const { locationId } = parseInput(qrQuery, request.query);
      const survey = await findSurvey(db, actor.organisationId, id);
      if (!survey) throw notFound('survey');
      // A draft's link answers "closed": a printed code for it would look live and lead nowhere.
      if (survey.status === 'draft') throw new AppError('survey_not_active');
      await requireLocation(db, actor.organisationId, locationId);
      const svg = await QRCode.toString(
        anonymousUrl(deps.config.publicUrl, survey.anonymous_token, locationId),
        {
          type: 'svg',
          errorCorrectionLevel: 'M',
          margin: 2,
        },
      );
      return reply
        .header('content-type', 'image/svg+xml; charset=utf-8')
        .header('content-disposition', `inline; filename="qr-${id}.svg"`)
        .header('cache-control', 'private, no-store')
        .header('x-content-type-options', 'nosniff')
        .send(svg);
    },
  );

  app.get(
    '/api/v1/surveys/:id/poster',
    describe({
      tag: 'surveys',
      summary: 'Printable poster with the QR code, optionally of one location (not for a draft)',
      query: posterQuery,
      produces: 'text/html',
      errors: ['survey_not_active'],
    }),
    async (request, reply) => {
      const actor = authorize(request.actor, 'surveys:read');
      const { id } = parseInput(idParams, request.params);
      const { lang, locationId } = parseInput(posterQuery, request.query);
      const survey = await findSurvey(db, actor.organisationId, id);
      if (!survey) throw notFound('survey');
      // A draft's link answers "closed": a printed code for it would look live and lead nowhere.
      if (survey.status === 'draft') throw new AppError('survey_not_active');
      await requireLocation(db, actor.organisationId, locationId);
      const organisation = await findOrganisation(db, actor.organisationId);
      const locale = lang ?? organisation?.locale ?? actor.locale;
      const url = anonymousUrl(deps.config.publicUrl, survey.anonymous_token, locationId);
      const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
      const nonce = newNonce();
      const orgName = organisation?.name ?? '';
      return setPublicPageHeaders(reply, nonce).send(
        renderPoster({
          locale,
          nonce,
          ...branding(survey.settings, organisation?.settings ?? '{}'),
          organisationName: orgName,
          question: pageTexts({
            surveySettings: survey.settings,
            organisationSettings: organisation?.settings ?? '{}',
            organisationName: orgName,
            locale,
            employeeName: null,
            withOptIns: false,
          }).question,
          url,
          svg,
        }),
      );
    },
  );
}
