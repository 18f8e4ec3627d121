import type { Executor } from '../../db/database.ts';
import type { SurveyTable } from '../../db/schema.ts';
import { pageRequest, toPage } from '../../shared/cursor.ts';
import { notFound } from '../../shared/errors.ts';
import { newId, newToken } from '../../shared/ids.ts';
import type { Actor } from '../auth/actor.ts';
import { recordAudit } from '../audit/audit.repository.ts';
import {
  parseSurveySettings,
  surveySettingsSchema,
  type SurveySettings,
} from './survey-settings.ts';
import { presentSurvey } from './surveys.presenter.ts';
import { canonicalPlaceholders } from '../../domain/placeholders/placeholders.ts';
import type { Formality } from '../../domain/greeting/greeting.ts';
import { parseSettings } from '../organisations/organisation-settings.ts';
import { findOrganisation } from '../organisations/organisations.repository.ts';
import * as repo from './surveys.repository.ts';
import type { CreateSurveyInput, ListSurveysInput, UpdateSurveyInput } from './surveys.schemas.ts';

/**
 * Who acts: a person or API key from a request, or the system itself (the demo seeder, the CLI).
 * Services that the demo calls accept both, so seeding goes through the same rules as the API.
 */
export type ServiceActor = Actor | { kind: 'system'; organisationId: string };

/** The organisation's voice ("u" or "je"): the default texts a survey shows depend on it. */
export async function organisationFormality(
  db: Executor,
  organisationId: string,
): Promise<Formality> {
  const org = await findOrganisation(db, organisationId);
  return org ? parseSettings(org.settings).formality : 'u';
}

/** Survey texts as written, in either language's placeholder names, stored canonically. */
function canonicalTexts<T extends Record<string, string | null | undefined>>(texts: T): T {
  return Object.fromEntries(
    Object.entries(texts).map(([k, v]) => [
      k,
      typeof v === 'string' ? canonicalPlaceholders(v) : v,
    ]),
  ) as T;
}

export async function listSurveys(db: Executor, actor: Actor, input: ListSurveysInput) {
  const rows = await repo.listSurveys(
    db,
    actor.organisationId,
    { status: input.status },
    pageRequest(input),
  );
  const formality = await organisationFormality(db, actor.organisationId);
  return toPage(rows, input.limit, (row) => presentSurvey(row, formality));
}

/** Reads a survey of the actor's organisation; another organisation's id reads as missing. */
export async function getSurveyRow(db: Executor, organisationId: string, id: string) {
  const row = await repo.findSurvey(db, organisationId, id);
  if (!row) throw notFound('survey');
  return row;
}

export async function getSurvey(db: Executor, actor: Actor, id: string) {
  return presentSurvey(
    await getSurveyRow(db, actor.organisationId, id),
    await organisationFormality(db, actor.organisationId),
  );
}

/**
 * Creates an NPS survey with the company-level question and Dutch and English defaults. The
 * anonymous token (link and QR code for walk-in customers) is made now, so the survey can be shared
 * the moment it is active. Callable by the demo with a system actor.
 */
export async function createSurvey(
  db: Executor,
  actor: ServiceActor,
  input: CreateSurveyInput,
  now: number,
  options: { creationKey?: string | undefined } = {},
) {
  return (await createSurveyOnce(db, actor, input, now, options)).survey;
}

/**
 * Creates a survey unless this idempotency key already made one, which is returned instead
 * (`created: false`). The unique index on (organisation, key) settles two requests racing.
 */
export async function createSurveyOnce(
  db: Executor,
  actor: ServiceActor,
  input: CreateSurveyInput,
  now: number,
  options: { creationKey?: string | undefined } = {},
) {
  const key = options.creationKey ?? null;
  const formality = await organisationFormality(db, actor.organisationId);
  if (key) {
    const existing = await repo.findSurveyByCreationKey(db, actor.organisationId, key);
    if (existing) return { survey: presentSurvey(existing, formality), created: false };
  }
  const settings = {
    ...input.settings,
    texts: {
      nl: canonicalTexts(input.settings.texts.nl),
      en: canonicalTexts(input.settings.texts.en),
    },
  };
  const row: SurveyTable = {
    id: newId(),
    organisation_id: actor.organisationId,
    name: input.name,
    status: input.status,
    settings: JSON.stringify(settings),
    anonymous_token: newToken(),
    creation_key: key,
    created_at: now,
    updated_at: now,
  };
  await repo.insertSurvey(db, row);
  await recordAudit(
    db,
    actor,
    { action: 'survey.created', entityType: 'survey', entityId: row.id },
    now,
  );
  return { survey: presentSurvey(row, formality), created: true };
}

/** After losing a race on the same idempotency key: the survey the other request made. */
export async function surveyByCreationKey(db: Executor, organisationId: string, key: string) {
  const row = await repo.findSurveyByCreationKey(db, organisationId, key);
  return row ? presentSurvey(row, await organisationFormality(db, organisationId)) : null;
}

/** Overlays a PATCH on the stored settings: texts per key, `null` returning a text to its default. */
export function mergeSurveySettings(
  current: SurveySettings,
  patch: NonNullable<UpdateSurveyInput['settings']>,
): SurveySettings {
  const { texts, ...options } = patch;
  const mergedTexts = { ...current.texts };
  for (const locale of ['nl', 'en'] as const) {
    const overrides: Record<string, string> = { ...current.texts[locale] };
    for (const [key, value] of Object.entries(texts?.[locale] ?? {})) {
      if (value === null) delete overrides[key];
      else if (value !== undefined) overrides[key] = canonicalPlaceholders(value);
    }
    mergedTexts[locale] = overrides;
  }
  const defined = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return surveySettingsSchema.parse({ ...current, ...defined, texts: mergedTexts });
}

export async function updateSurvey(
  db: Executor,
  actor: Actor,
  id: string,
  input: UpdateSurveyInput,
  now: number,
) {
  const current = await getSurveyRow(db, actor.organisationId, id);
  const settings = input.settings
    ? mergeSurveySettings(parseSurveySettings(current.settings), input.settings)
    : undefined;
  const patch = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.status !== undefined ? { status: input.status } : {}),
    ...(settings ? { settings: JSON.stringify(settings) } : {}),
    updated_at: now,
  };
  await repo.updateSurvey(db, actor.organisationId, id, patch);
  await recordAudit(
    db,
    actor,
    {
      action: 'survey.updated',
      entityType: 'survey',
      entityId: id,
      data: { fields: Object.keys(input), ...(input.status ? { status: input.status } : {}) },
    },
    now,
  );
  return presentSurvey(
    { ...current, ...patch },
    await organisationFormality(db, actor.organisationId),
  );
}
