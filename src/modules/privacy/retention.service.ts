import { retentionCutoff } from '../../domain/privacy/retention.ts';
import type { Deps } from '../../platform/deps.ts';
import { enqueueMany, type JobResult } from '../../platform/jobs/define-job.ts';
import { findLatestAudit, recordAudit } from '../audit/audit.repository.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import {
  findOrganisation,
  listOrganisationSettings,
} from '../organisations/organisations.repository.ts';
import { retentionRunJob } from './privacy.jobs.ts';

/** Rows per kind per transaction: short enough that answers never wait long behind a run. */
export const RETENTION_BATCH = 1000;

export const RETENTION_AUDIT_ACTION = 'privacy.retention_ran';

/** The daily sweep: one retention run per organisation, each at most once per day. */
export async function sweepRetention(deps: Deps): Promise<JobResult> {
  const now = deps.now();
  const day = new Date(now).toISOString().slice(0, 10);
  const organisations = await listOrganisationSettings(deps.db.kysely);
  await enqueueMany(
    deps.db.kysely,
    retentionRunJob,
    organisations.map((o) => ({
      payload: {},
      organisationId: o.id,
      now,
      dedupeKey: `${retentionRunJob.type}:${o.id}:${day}`,
    })),
  );
  return { status: 'success', detail: `${organisations.length} organisations` };
}

/**
 * Storage limitation for one organisation: asks every module's personal-data holder to anonymise
 * or delete what is older than it may keep, in short transactions until nothing is left, and
 * records what happened in the audit log (shown in the settings screen).
 */
export async function runRetention(deps: Deps, organisationId: string): Promise<JobResult> {
  const db = deps.db.kysely;
  const organisation = await findOrganisation(db, organisationId);
  if (!organisation) return { status: 'skipped', detail: 'organisation not found' };
  const { retentionMonths } = parseSettings(organisation.settings);
  const now = deps.now();
  const policy = { now, cutoff: retentionCutoff(now, retentionMonths), limit: RETENTION_BATCH };
  const totals: Record<string, number> = {};
  const holders = deps.platform.personalData.filter((h) => h.retain !== undefined);
  for (;;) {
    const round = await db.transaction().execute(async (trx) => {
      let rows = 0;
      for (const holder of holders) {
        const counts = (await holder.retain?.(trx, organisationId, policy)) ?? {};
        for (const [kind, n] of Object.entries(counts)) {
          totals[kind] = (totals[kind] ?? 0) + n;
          rows += n;
        }
      }
      return rows;
    });
    if (round === 0) break;
  }
  await recordAudit(
    db,
    { kind: 'system', organisationId },
    {
      action: RETENTION_AUDIT_ACTION,
      entityType: 'organisation',
      entityId: organisationId,
      data: { retentionMonths, cutoff: new Date(policy.cutoff).toISOString(), ...totals },
    },
    deps.now(),
  );
  return { status: 'success', detail: JSON.stringify(totals) };
}

/** The last retention run of an organisation, for the settings screen. */
export async function lastRetentionRun(deps: Deps, organisationId: string) {
  const row = await findLatestAudit(deps.db.kysely, organisationId, RETENTION_AUDIT_ACTION);
  if (!row) return null;
  const data = JSON.parse(row.data) as Record<string, unknown>;
  const count = (key: string) => (typeof data[key] === 'number' ? data[key] : 0);
  return {
    at: row.created_at,
    cutoff: typeof data.cutoff === 'string' ? data.cutoff : null,
    anonymisedResponses: count('anonymisedResponses'),
    deletedEmailBodies: count('deletedEmailBodies'),
    anonymisedEmails: count('anonymisedEmails'),
    deletedLinkTokens: count('deletedLinkTokens'),
  };
}
