import type { FastifyInstance } from 'fastify';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { AppError } from '../../shared/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { digestSettingBody, digestSettingJson } from './digest.schemas.ts';
import { myDigestSetting, setMyDigest } from './digest.service.ts';

/** The member's own weekly-digest switch (the admin app's "Mijn instellingen"). */
export async function digestRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  app.get(
    '/api/v1/me/weekly-digest',
    describe({
      tag: 'auth',
      summary: 'Whether I get the weekly digest email (in the organisation of my session)',
      description:
        'Every Monday morning (Europe/Amsterdam) a member who wants it gets a summary of the week that ended: NPS of the last 7 and 90 days with interval, n and whether the change is real, open and overdue cases, celebrate/attention notes, a few comments — read with the member’s own role scope. Owners, admins and managers get it until they turn it off; account managers and viewers may turn it on. API keys have no mailbox (403).',
      response: digestSettingJson,
    }),
    async (request) => {
      if (!request.actor) throw new AppError('unauthenticated');
      return myDigestSetting(deps.db.kysely, request.actor);
    },
  );

  app.put(
    '/api/v1/me/weekly-digest',
    describe({
      tag: 'auth',
      summary: 'Turn my weekly digest email on or off',
      body: digestSettingBody,
      response: digestSettingJson,
    }),
    async (request) => {
      if (!request.actor) throw new AppError('unauthenticated');
      const input = parseInput(digestSettingBody, request.body);
      const actor = request.actor;
      return deps.db.kysely
        .transaction()
        .execute((trx) => setMyDigest(trx, actor, input.weeklyDigest, deps.now()));
    },
  );
}
