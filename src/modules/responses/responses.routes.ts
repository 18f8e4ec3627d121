import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { anonymousPageRoutes } from './anonymous-pages.routes.ts';
import { invitationPageRoutes } from './invitation-pages.routes.ts';
import { createResponseWriter } from './response-writer.ts';

/**
 * The public doors for respondents, mounted in the public-page kit: the personal link of an email
 * invitation (`/r/:token`) and the anonymous link / QR code of a survey (`/s/:token`), sharing the
 * group-commit writer that stores personal-link answers.
 */
export async function responsePageRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const writer = createResponseWriter(deps, {
    concurrency: deps.db.dialect === 'sqlite' ? 1 : 4,
  });
  app.addHook('onClose', async () => writer.close());
  invitationPageRoutes(app, deps, writer);
  anonymousPageRoutes(app, deps);
}
