import { describe } from '../../platform/http/operation.ts';
import { timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../shared/errors.ts';
import { sha256 } from '../../shared/ids.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { emit } from '../../platform/events/emit.ts';
import { collectSlot } from '../../platform/slots.ts';
import { bounceReportSlot } from './bounce-report.slot.ts';
import { isContactMail, recordCustomerMailBounce } from './bounces.service.ts';
import { emailReported } from './email.events.ts';
import { findEmailOwnerByMessageId } from './emails.repository.ts';

/**
 * A provider-neutral bounce report. Matching is by Message-ID only: the webhook is installation-wide,
 * and an email address alone could belong to contacts of several organisations. `permanent`
 * defaults to true because providers report mostly hard bounces through webhooks.
 */
export const bounceReportSchema = z.strictObject({
  type: z.enum(['bounce', 'complaint']),
  messageId: z.string().trim().min(3).max(300),
  email: z.string().trim().max(254).optional(),
  permanent: z.boolean().default(true),
});

/** `<id@host>` with or without the angle brackets. */
const normaliseMessageId = (id: string): string => (id.startsWith('<') ? id : `<${id}>`);

function secretMatches(header: string | undefined, secret: string): boolean {
  const given = header?.startsWith('Bearer ') ? header.slice(7).trim() : '';
  // Hash both sides so the comparison takes constant time whatever the lengths.
  return timingSafeEqual(Buffer.from(sha256(given), 'hex'), Buffer.from(sha256(secret), 'hex'));
}

/**
 * `POST /api/v1/webhooks/bounces`: the mail provider reports hard bounces and complaints, which
 * suppress the contact — or, about a weekly digest, stop that member's digest. Authenticated by
 * `BOUNCE_WEBHOOK_SECRET` as a Bearer token; without the secret configured the route does not
 * exist (404).
 */
export async function bounceRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  app.post(
    '/api/v1/webhooks/bounces',
    describe(
      {
        tag: 'email',
        summary: 'Report a bounce or complaint (Bearer BOUNCE_WEBHOOK_SECRET)',
        status: 200,
        body: bounceReportSchema,
        response: z.object({
          result: z
            .enum(['suppressed', 'recorded', 'ignored'])
            .describe(
              '`suppressed`: a hard bounce or complaint stopped mail to its recipient (a customer: suppressed; a member: their weekly digest off, by the digest module on the `email.reported` event); `recorded`: a soft bounce; `ignored`: no email of this installation has that Message-ID, or its customer is gone',
            ),
        }),
        public: true,
      },
      { config: { rateLimit: { max: 600, timeWindow: '1 minute' } } },
    ),
    async (request) => {
      const secret = deps.config.BOUNCE_WEBHOOK_SECRET;
      if (!secret) throw new AppError('not_found', { params: { entity: 'route' } });
      if (!secretMatches(request.headers.authorization, secret)) {
        throw new AppError('unauthenticated');
      }
      const report = parseInput(bounceReportSchema, request.body);
      const messageId = normaliseMessageId(report.messageId);
      const email = await findEmailOwnerByMessageId(db, messageId);
      // Customer mail of no invitation (a review request, the programme's invitation).
      if (email?.organisation_id && !email.invitation_id && isContactMail(email.kind)) {
        const { organisation_id: organisationId, to_address: to } = email;
        const result = await db.transaction().execute((trx) =>
          recordCustomerMailBounce(trx, {
            organisationId,
            messageId,
            to,
            type: report.type,
            permanent: report.type === 'complaint' || report.permanent,
            source: `webhook:${report.type}`,
            now: deps.now(),
          }),
        );
        return { result };
      }
      // The weekly digest, to a member of staff: a complaint or hard bounce is published
      // (`email.reported`) for the module that sends it, which switches that member's digest off.
      if (email?.organisation_id && email.kind === 'weekly_digest') {
        if (report.type === 'bounce' && !report.permanent) return { result: 'recorded' as const };
        const { organisation_id: organisationId, id: emailId, kind } = email;
        await db.transaction().execute((trx) =>
          emit(
            trx,
            deps,
            emailReported,
            [
              {
                organisationId,
                data: {
                  emailId,
                  kind,
                  messageId,
                  report: report.type,
                  source: `webhook:${report.type}`,
                },
              },
            ],
            deps.now(),
          ),
        );
        return { result: 'suppressed' as const };
      }
      // Anything else is another module's mail (an invitation or reminder): its module settles
      // the report through the `email.bounce` slot; mail of no module is ignored.
      const [answer] = await collectSlot(deps, bounceReportSlot, {
        messageId,
        invitation:
          email?.organisation_id && email.invitation_id
            ? { organisationId: email.organisation_id, invitationId: email.invitation_id }
            : null,
        type: report.type,
        permanent: report.type === 'complaint' || report.permanent,
        source: `webhook:${report.type}`,
        now: deps.now(),
      });
      return { result: answer?.value ?? ('ignored' as const) };
    },
  );
}
