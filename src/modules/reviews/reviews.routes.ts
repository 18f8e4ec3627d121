import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { authorize } from '../auth/policies.ts';
import {
  findReviewSettings,
  saveReviewSettings,
  type ReviewSettings,
} from './reviews.repository.ts';
import {
  reviewSettingsInputSchema,
  reviewSettingsSchema,
  type ReviewSettingsJson,
} from './reviews.schemas.ts';

/** The organisation's public page that discloses how it collects reviews. */
export const reviewPolicyPath = (organisationId: string) => `/o/${organisationId}/reviews`;

/** Staff API: the review sites an organisation sends its customers to (issue 12). */
export function reviewRoutes(app: FastifyInstance, deps: Deps): void {
  const db = deps.db.kysely;
  const present = (organisationId: string, s: ReviewSettings): ReviewSettingsJson => ({
    sites: s.sites,
    askOnThanks: s.askOnThanks,
    emailAfterHours: s.emailAfterHours,
    policyUrl: `${deps.config.publicUrl.replace(/\/+$/, '')}${reviewPolicyPath(organisationId)}`,
  });

  app.get(
    '/api/v1/review-settings',
    describe({
      tag: 'reviews',
      summary: 'The review sites respondents are asked to review on, and the disclosure page',
      response: reviewSettingsSchema,
    }),
    async (request): Promise<ReviewSettingsJson> => {
      const actor = authorize(request.actor, 'surveys:read');
      return present(actor.organisationId, await findReviewSettings(db, actor.organisationId));
    },
  );

  app.put(
    '/api/v1/review-settings',
    describe({
      tag: 'reviews',
      summary:
        'Choose the review sites (https addresses only), whether the thank-you page asks, and when the review email goes',
      body: reviewSettingsInputSchema,
      response: reviewSettingsSchema,
    }),
    async (request): Promise<ReviewSettingsJson> => {
      const actor = authorize(request.actor, 'organisation:manage');
      const input = parseInput(reviewSettingsInputSchema, request.body);
      const saved = await db.transaction().execute(async (trx) => {
        const current = await findReviewSettings(trx, actor.organisationId);
        const next: ReviewSettings = {
          sites: input.sites,
          askOnThanks: input.askOnThanks,
          emailAfterHours:
            input.emailAfterHours === undefined ? current.emailAfterHours : input.emailAfterHours,
        };
        await saveReviewSettings(trx, actor.organisationId, next, deps.now());
        await recordAudit(
          trx,
          actor,
          {
            action: 'review_settings.saved',
            entityType: 'review_settings',
            entityId: actor.organisationId,
            data: {
              sites: next.sites.map((s) => s.kind),
              askOnThanks: next.askOnThanks,
              emailAfterHours: next.emailAfterHours,
            },
          },
          deps.now(),
        );
        return next;
      });
      return present(actor.organisationId, saved);
    },
  );
}
