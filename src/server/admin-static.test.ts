import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';
import { registerAdminStatic } from './admin-static.ts';

describe('admin app serving', () => {
  it('says in the reader\u2019s language how to build the admin app when it is missing', async () => {
    // The app's router ignores a trailing slash (app.ts), so `/admin/` is `/admin`.
    const app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await registerAdminStatic(app, { root: '/nonexistent/loyaal-web-dist' });
    const nl = await app.inject({ url: '/admin/contacts' });
    expect(nl.statusCode).toBe(503);
    expect(nl.body).toContain('npm run build');
    expect(nl.body).toContain('nog niet gebouwd');
    const en = await app.inject({ url: '/admin/', headers: { 'accept-language': 'en-GB,en' } });
    expect(en.body).toContain('has not been built yet');
    expect((await app.inject({ url: '/' })).headers.location).toBe('/admin/');
    await app.close();
  });
});
