import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { startTestApp, type TestApp } from '../support/harness.ts';

/** A token as public links carry them: 32 characters of the URL-safe alphabet. */
const newToken = (): string => randomBytes(24).toString('base64url');

describeEachDialect('request logs keep no public token', (dialect) => {
  let t: TestApp;
  const logLines: string[] = [];

  beforeAll(async () => {
    t = await startTestApp(dialect, {}, { logLines });
  });
  afterAll(async () => t.close());

  it('masks the token of every public route with a :token, and of unknown paths under them', async () => {
    const tokenRoutes = t.app.routeTable.filter((r) => r.url.includes(':token'));
    // Every kind of public page is among them: answer, survey link, unsubscribes, ambassador pages.
    const prefixes = new Set(tokenRoutes.map((r) => r.url.split(':token')[0]));
    for (const prefix of ['/r/', '/s/', '/u/', '/u/digest/', '/rv/', '/a/', '/f/', '/v/', '/k/']) {
      expect(prefixes).toContain(prefix);
    }

    const requests = [
      ...tokenRoutes.map((r) => ({ method: r.method, url: r.url })),
      // The admin app's invite page, and paths no route answers (logged as "Route … not found").
      { method: 'GET', url: '/admin/invite/:token' },
      { method: 'GET', url: '/a/:token/no-such-page' },
      { method: 'GET', url: '/r/:token?score=9' },
    ];
    const tokens: string[] = [];
    for (const { method, url } of requests) {
      const token = newToken();
      tokens.push(token);
      await t.app.inject({
        method: method as 'GET' | 'POST',
        url: url.replace(':token', token),
        ...(method === 'POST' ? { payload: {} } : {}),
      });
    }

    const log = logLines.join('');
    // The requests were logged (a silent logger would pass the check below without masking)…
    for (const prefix of prefixes) expect(log).toContain(`"url":"${prefix}***`);
    expect(log).toContain('"url":"/admin/invite/***"');
    expect(log).toContain('/a/***/no-such-page');
    // …and no token of them is anywhere in the log: not in a URL, a message or an error.
    for (const token of tokens) expect(log).not.toContain(token);
  });
});
