import type { Executor } from '../../db/database.ts';
import { AppError } from '../../shared/errors.ts';
import { newId } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { inspectImage } from './inspect-image.ts';
import type { OrganisationSettings } from './organisation-settings.ts';
import * as logos from './logos.repository.ts';
import { getOrganisation, updateOrganisation } from './organisations.service.ts';

/** A logo shows at 48 px high; half a megabyte is ample for that and keeps emails light. */
export const MAX_LOGO_BYTES = 512 * 1024;

/** Where an uploaded logo is served, relative to the installation (pages use it as is). */
export const logoPath = (logoId: string): string => `/logos/${logoId}`;

/**
 * The organisation's logo for a page or an email: the uploaded one (served by this installation)
 * before an https address. `base` makes the path absolute for emails.
 */
export function organisationLogo(settings: OrganisationSettings, base = ''): string | null {
  if (settings.logoId) return `${base.replace(/\/+$/, '')}${logoPath(settings.logoId)}`;
  return settings.logoUrl;
}

/**
 * Stores an uploaded logo after checking what it really is (PNG or JPEG, by its bytes; no SVG) and
 * its size, makes it the organisation's logo and removes the previous one.
 */
export async function uploadLogo(
  db: Executor,
  actor: Actor,
  bytes: Buffer,
  now: number,
): Promise<{ id: string; width: number; height: number; contentType: string }> {
  if (bytes.length > MAX_LOGO_BYTES) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'file', problem: 'logo_too_large', params: { max: '512 KB' } }],
    });
  }
  const image = inspectImage(bytes);
  if (!image.ok) {
    throw new AppError('validation_failed', {
      issues: [{ field: 'file', problem: image.problem }],
    });
  }
  const id = newId();
  await logos.insertLogo(db, {
    id,
    organisation_id: actor.organisationId,
    content_type: image.contentType,
    bytes,
    width: image.width,
    height: image.height,
    created_at: now,
  });
  await updateOrganisation(db, actor, { settings: { logoId: id } }, now);
  await logos.deleteLogosExcept(db, actor.organisationId, id);
  await recordAudit(
    db,
    actor,
    {
      action: 'organisation.logo_uploaded',
      entityType: 'organisation',
      entityId: actor.organisationId,
    },
    now,
  );
  return { id, width: image.width, height: image.height, contentType: image.contentType };
}

export async function removeLogo(db: Executor, actor: Actor, now: number) {
  const org = await getOrganisation(db, actor);
  if (org.settings.logoId) await updateOrganisation(db, actor, { settings: { logoId: null } }, now);
  await logos.deleteLogosExcept(db, actor.organisationId, null);
}
