import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { Deps } from '../../platform/deps.ts';
import { describe } from '../../platform/http/operation.ts';
import { AppError, invalid, notFound } from '../../shared/errors.ts';
import { parseInput } from '../../platform/http/validation.ts';
import { authorize } from '../auth/policies.ts';
import { organisationSchema, presentOrganisation } from './organisations.presenter.ts';
import { getOrganisation } from './organisations.service.ts';
import { findLogo } from './logos.repository.ts';
import { MAX_LOGO_BYTES, removeLogo, uploadLogo } from './logos.service.ts';

const logoParams = z.strictObject({ id: z.uuid() });

/**
 * The organisation's logo by upload: stored in the database (so every app server can serve it),
 * served from this installation to pages and emails with its real content type and a long cache
 * (a new upload gets a new address).
 */
export async function logoRoutes(app: FastifyInstance, deps: Deps): Promise<void> {
  const db = deps.db.kysely;
  await app.register(multipart, {
    limits: { fileSize: MAX_LOGO_BYTES + 1, files: 1, fields: 0, parts: 1, headerPairs: 50 },
  });

  app.post(
    '/api/v1/organisation/logo',
    describe({
      tag: 'organisation',
      summary: 'Upload the logo (multipart field `file`): PNG or JPEG, at most 512 KB; no SVG',
      consumes: 'multipart/form-data',
      status: 200,
      response: organisationSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      const file = await request.file();
      if (!file) throw invalid([{ field: 'file', problem: 'required' }]);
      const bytes = await file.toBuffer().catch((error: unknown) => {
        const code = (error as { code?: unknown }).code;
        if (code === 'FST_REQ_FILE_TOO_LARGE') {
          throw invalid([{ field: 'file', problem: 'logo_too_large', params: { max: '512 KB' } }]);
        }
        throw error;
      });
      await db.transaction().execute((trx) => uploadLogo(trx, actor, bytes, deps.now()));
      return presentOrganisation(await getOrganisation(db, actor));
    },
  );

  app.delete(
    '/api/v1/organisation/logo',
    describe({
      tag: 'organisation',
      summary: 'Remove the uploaded logo',
      status: 200,
      response: organisationSchema,
    }),
    async (request) => {
      const actor = authorize(request.actor, 'organisation:manage');
      await db.transaction().execute((trx) => removeLogo(trx, actor, deps.now()));
      return presentOrganisation(await getOrganisation(db, actor));
    },
  );

  // Public: the logo appears in customers' emails and on the response pages.
  app.get('/logos/:id', async (request, reply) => {
    const { id } = parseInput(logoParams, request.params);
    const logo = await findLogo(db, id);
    if (!logo) throw notFound('logo');
    if (logo.content_type !== 'image/png' && logo.content_type !== 'image/jpeg') {
      throw new AppError('not_found', { params: { entity: 'logo' } });
    }
    return reply
      .header('content-type', logo.content_type)
      .header('cache-control', 'public, max-age=31536000, immutable')
      .header('x-content-type-options', 'nosniff')
      .header('content-security-policy', "default-src 'none'")
      .header('cross-origin-resource-policy', 'cross-origin')
      .send(Buffer.from(logo.bytes));
  });
}
