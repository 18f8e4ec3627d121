import { describe, expect, it } from 'vitest';
import { redactUrl, serializeRequest } from './log-redaction.ts';

describe('log redaction', () => {
  it('hides the token of every public link but keeps the route and query', () => {
    expect(redactUrl('/r/AbC-123_xyz?score=9')).toBe('/r/***?score=9');
    expect(redactUrl('/r/AbC-123_xyz/thanks')).toBe('/r/***/thanks');
    expect(redactUrl('/u/tok_en')).toBe('/u/***');
    expect(redactUrl('/s/anon-token?lang=en')).toBe('/s/***?lang=en');
    expect(redactUrl('/api/v1/public/invites/secret-token/accept')).toBe(
      '/api/v1/public/invites/***/accept',
    );
  });

  it('leaves staff API paths alone (their ids are not credentials)', () => {
    expect(redactUrl('/api/v1/contacts/0193-abc?q=celik')).toBe(
      '/api/v1/contacts/0193-abc?q=celik',
    );
    expect(redactUrl('/admin/surveys/x')).toBe('/admin/surveys/x');
  });

  it('logs no headers', () => {
    expect(serializeRequest({ method: 'GET', url: '/u/abc', ip: '127.0.0.1' })).toEqual({
      method: 'GET',
      url: '/u/***',
      remoteAddress: '127.0.0.1',
    });
  });
});
