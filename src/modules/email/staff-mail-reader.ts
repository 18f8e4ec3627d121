import type { Executor } from '../../db/database.ts';
import type { Actor } from '../auth/actor.ts';
import { findUserEmail } from '../users/users.repository.ts';

/**
 * Whose staff mail this reader may read. A weekly digest, a case alert or a test mail is written
 * for its recipient's scope (a team manager's digest holds only their teams' notes; the owner's
 * holds every employee's): owners and admins read all of it, anyone else only mail sent to them.
 * Customer mail (invitations and the like) stays readable to everyone who may send surveys.
 */
export async function staffMailReader(db: Executor, actor: Actor): Promise<string | undefined> {
  if (actor.role === 'owner' || actor.role === 'admin') return undefined;
  if (actor.kind !== 'user') return '';
  return (await findUserEmail(db, actor.id)) ?? '';
}
