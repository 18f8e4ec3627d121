import type { Locale, Role } from '../../db/schema.ts';

/** Who is making a request: a logged-in user (via session cookie) or an API key. */
export interface Actor {
  kind: 'user' | 'api_key';
  /** user id or api key id */
  id: string;
  organisationId: string;
  role: Role;
  /** For account managers: the employee whose customers they may see. */
  employeeId: string | null;
  locale: Locale;
  /** Session id (hash) for user actors; used for logout and CSRF. */
  sessionId?: string;
  csrfToken?: string;
}

declare module 'fastify' {
  interface FastifyRequest {
    actor: Actor | null;
  }
}
