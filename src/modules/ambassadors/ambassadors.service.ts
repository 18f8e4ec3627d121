import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { Executor } from '../../db/database.ts';
import type { AmbassadorTable, Locale } from '../../db/schema.ts';
import { LINK_TOKEN_BYTES, makeCode, randomBytesFor } from '../../domain/referrals/codes.ts';
import type { Deps } from '../../platform/deps.ts';
import { emit } from '../../platform/events/emit.ts';
import { enqueue } from '../../platform/jobs/define-job.ts';
import { notFound, conflict } from '../../shared/errors.ts';
import { newId, newToken } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import { findContact } from '../contacts/contacts.repository.ts';
import { parseSettings as parseOrganisationSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import { fillText } from '../../domain/placeholders/fill-text.ts';
import { parseSurveySettings, surveyTexts } from '../surveys/survey-settings.ts';
import { findSurvey } from '../surveys/surveys.repository.ts';
import * as repo from './ambassadors.repository.ts';
import { ambassadorJoined } from './ambassadors.events.ts';
import { programmeInviteJob } from './ambassadors.jobs.ts';
import {
  DEFAULT_PROGRAMME_SETTINGS,
  parseProgrammeSettings,
  programmeSettingsSchema,
  type ProgrammeSettings,
} from './programme-settings.ts';

/** A public link token: 128 random bits, URL-safe. */
export const newLinkToken = (): string => newToken(LINK_TOKEN_BYTES);

/** A counter code that no ambassador of the organisation has yet. */
async function freshAmbassadorCode(db: Executor, organisationId: string): Promise<string> {
  for (let i = 0; i < 8; i++) {
    const code = makeCode('ambassador', randomBytes(randomBytesFor('ambassador')));
    if (!(await repo.findAmbassadorByCode(db, organisationId, code))) return code;
  }
  throw new Error('could not find a free ambassador code');
}

// ---- Programme ----

export interface Programme {
  enabled: boolean;
  settings: ProgrammeSettings;
  counterToken: string;
}

/** The organisation's programme; an organisation that never set one up gets the defaults, off. */
export async function getProgramme(db: Executor, organisationId: string): Promise<Programme> {
  const row = await repo.findProgramme(db, organisationId);
  if (!row) return { enabled: false, settings: DEFAULT_PROGRAMME_SETTINGS, counterToken: '' };
  return {
    enabled: row.enabled === 1,
    settings: parseProgrammeSettings(row.settings),
    counterToken: row.counter_token,
  };
}

export const programmeInputSchema = z.strictObject({
  enabled: z.boolean(),
  settings: programmeSettingsSchema,
  /** Makes a new counter link: the old one stops working (a lost phone). */
  newCounterLink: z.boolean().optional(),
});
export type ProgrammeInput = z.infer<typeof programmeInputSchema>;

export async function saveProgramme(
  trx: Executor,
  actor: Actor,
  input: ProgrammeInput,
  now: number,
): Promise<Programme> {
  const current = await repo.findProgramme(trx, actor.organisationId);
  const counterToken = !current || input.newCounterLink ? newLinkToken() : current.counter_token;
  await repo.upsertProgramme(trx, {
    organisation_id: actor.organisationId,
    enabled: input.enabled ? 1 : 0,
    settings: JSON.stringify(input.settings),
    counter_token: counterToken,
    created_at: now,
    updated_at: now,
  });
  await recordAudit(
    trx,
    actor,
    {
      action: 'referral_programme.saved',
      entityType: 'referral_programme',
      entityId: actor.organisationId,
      data: { enabled: input.enabled, newCounterLink: Boolean(input.newCounterLink) },
    },
    now,
  );
  return { enabled: input.enabled, settings: input.settings, counterToken };
}

// ---- Joining ----

interface JoinInput {
  organisationId: string;
  contactId: string;
  consentText: string;
  consentSource: 'survey' | 'staff';
  consentUserId: string | null;
  consentNote: string | null;
  responseId: string | null;
  showName: boolean;
}

/**
 * Enrols a contact as ambassador (or re-enrols one who had left) with the consent record, gives
 * them a share page, a link and a code, a thank-you task for staff, and — when the programme is
 * on — the programme's invitation email, as a job after commit. Returns the ambassador's id and
 * whether they are new.
 */
export async function enrol(
  trx: Executor,
  deps: Deps,
  input: JoinInput,
  now: number,
): Promise<{ id: string; joined: boolean }> {
  const existing = await repo.findAmbassadorByContact(trx, input.organisationId, input.contactId);
  let id: string;
  if (existing && existing.status !== 'removed') return { id: existing.id, joined: false };
  if (existing) {
    id = existing.id;
    await repo.updateAmbassador(trx, input.organisationId, id, {
      status: 'active',
      consent_text: input.consentText,
      consent_source: input.consentSource,
      consent_at: now,
      consent_user_id: input.consentUserId,
      consent_note: input.consentNote,
      response_id: input.responseId,
      show_name: input.showName ? 1 : 0,
      // The old link was switched off when they left; a new start gets new links.
      share_token: newLinkToken(),
      link_token: newLinkToken(),
      removed_at: null,
      unsubscribed_at: null,
      invited_at: null,
      updated_at: now,
    });
  } else {
    id = newId();
    const row: AmbassadorTable = {
      id,
      organisation_id: input.organisationId,
      contact_id: input.contactId,
      status: 'active',
      share_token: newLinkToken(),
      link_token: newLinkToken(),
      code: await freshAmbassadorCode(trx, input.organisationId),
      show_name: input.showName ? 1 : 0,
      consent_text: input.consentText,
      consent_source: input.consentSource,
      consent_at: now,
      consent_user_id: input.consentUserId,
      consent_note: input.consentNote,
      response_id: input.responseId,
      referred_by_ambassador_id: await referrerOf(trx, input.organisationId, input.contactId),
      invited_at: null,
      unsubscribed_at: null,
      friend_page_views: 0,
      removed_at: null,
      created_at: now,
      updated_at: now,
    };
    await repo.insertAmbassador(trx, row);
  }
  await repo.insertTaskIfAbsent(trx, {
    id: newId(),
    organisation_id: input.organisationId,
    ambassador_id: id,
    kind: 'welcome',
    referral_id: '',
    done_at: null,
    done_by: null,
    created_at: now,
  });
  const programme = await repo.findProgramme(trx, input.organisationId);
  if (programme?.enabled === 1) {
    await enqueue(
      trx,
      programmeInviteJob,
      { ambassadorId: id },
      { organisationId: input.organisationId, now, dedupeKey: `ambassadors.invite:${id}:${now}` },
    );
  }
  await emit(
    trx,
    deps,
    ambassadorJoined,
    [
      {
        organisationId: input.organisationId,
        data: {
          ambassadorId: id,
          contactId: input.contactId,
          source: input.consentSource,
          responseId: input.responseId,
        },
      },
    ],
    now,
  );
  return { id, joined: true };
}

/** The ambassador who brought this contact in, if a referral of theirs converted into them. */
async function referrerOf(
  db: Executor,
  organisationId: string,
  contactId: string,
): Promise<string | null> {
  const rows = await repo.listContactReferrals(db, organisationId, contactId);
  return rows.find((r) => r.status === 'converted')?.ambassador_id ?? null;
}

/**
 * The words the respondent agreed to, exactly as the response page showed them: the survey's
 * ambassador opt-in in the respondent's language and the organisation's voice.
 */
export async function optInText(
  db: Executor,
  organisationId: string,
  surveyId: string,
  locale: Locale,
): Promise<string> {
  const [survey, organisation] = await Promise.all([
    findSurvey(db, organisationId, surveyId),
    findOrganisation(db, organisationId),
  ]);
  const formality = parseOrganisationSettings(organisation?.settings ?? '{}').formality;
  const texts = surveyTexts(parseSurveySettings(survey?.settings ?? '{}'), locale, formality);
  return fillText(texts.ambassadorOptIn, { organisation: organisation?.name ?? '' });
}

// ---- Staff ----

export const addAmbassadorSchema = z.strictObject({
  contactId: z.uuid(),
  /** How the fan agreed, in staff's words: "Aan de balie gevraagd, 3 maart". */
  consentNote: z.string().trim().min(3).max(500),
  showName: z.boolean().default(false),
});

/** Staff add a known fan by hand; the consent record says who recorded it and how. */
export async function addAmbassador(
  trx: Executor,
  deps: Deps,
  actor: Actor,
  input: z.infer<typeof addAmbassadorSchema>,
  now: number,
) {
  const contact = await findContact(trx, actor.organisationId, input.contactId);
  if (!contact || contact.erased_at !== null) throw notFound('contact');
  const existing = await repo.findAmbassadorByContact(trx, actor.organisationId, contact.id);
  if (existing && existing.status !== 'removed') {
    throw conflict({ field: 'contactId', problem: 'already_ambassador' });
  }
  const { id } = await enrol(
    trx,
    deps,
    {
      organisationId: actor.organisationId,
      contactId: contact.id,
      consentText: input.consentNote,
      consentSource: 'staff',
      consentUserId: actor.id,
      consentNote: input.consentNote,
      responseId: null,
      showName: input.showName,
    },
    now,
  );
  await recordAudit(
    trx,
    actor,
    { action: 'ambassador.added', entityType: 'ambassador', entityId: id },
    now,
  );
  return id;
}

export type AmbassadorAction = 'pause' | 'resume' | 'remove';

/** Pause (no invitations, link shows a friendly "not now"), resume, or remove (links die). */
export async function changeAmbassadorStatus(
  trx: Executor,
  actor: Actor,
  id: string,
  action: AmbassadorAction,
  now: number,
): Promise<void> {
  const a = await repo.findAmbassador(trx, actor.organisationId, id);
  if (!a) throw notFound('ambassador');
  const patch: Partial<AmbassadorTable> =
    action === 'pause'
      ? { status: 'paused', updated_at: now }
      : action === 'resume'
        ? { status: 'active', updated_at: now }
        : {
            status: 'removed',
            removed_at: now,
            share_token: newLinkToken(),
            link_token: newLinkToken(),
            updated_at: now,
          };
  if (action === 'resume' && a.status === 'removed') {
    throw conflict({ field: 'status', problem: 'ambassador_removed' });
  }
  await repo.updateAmbassador(trx, actor.organisationId, id, patch);
  await recordAudit(
    trx,
    actor,
    { action: `ambassador.${action}`, entityType: 'ambassador', entityId: id },
    now,
  );
}

/** Sends (again) the programme's invitation email to an ambassador. */
export async function inviteAgain(trx: Executor, actor: Actor, id: string, now: number) {
  const a = await repo.findAmbassador(trx, actor.organisationId, id);
  if (!a || a.status !== 'active') throw notFound('ambassador');
  await enqueue(
    trx,
    programmeInviteJob,
    { ambassadorId: id },
    { organisationId: actor.organisationId, now, dedupeKey: `ambassadors.invite:${id}:${now}` },
  );
}
