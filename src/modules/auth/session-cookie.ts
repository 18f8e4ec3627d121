import type { FastifyReply } from 'fastify';
import type { Config } from '../../config.ts';
import type { NewSession } from './auth.service.ts';

export const SESSION_COOKIE = 'loyaal_session';

export function setSessionCookie(reply: FastifyReply, session: NewSession, config: Config): void {
  void reply.setCookie(SESSION_COOKIE, session.token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: config.COOKIE_SECURE,
    path: '/',
    // Max-Age counts from the browser's own clock, so a browser whose clock is off keeps the
    // session for SESSION_DAYS all the same; Expires stays for clients that know only that.
    maxAge: session.maxAgeSeconds,
    expires: new Date(session.expiresAt),
  });
}

export function clearSessionCookie(reply: FastifyReply, config: Config): void {
  void reply.clearCookie(SESSION_COOKIE, {
    path: '/',
    httpOnly: true,
    sameSite: 'lax',
    secure: config.COOKIE_SECURE,
  });
}
