import type { Executor } from '../../db/database.ts';
import type { SurveyTable } from '../../db/schema.ts';
import { decodeCursor, toPage } from '../../shared/cursor.ts';
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
import * as repo from './surveys.repository.ts';
import type { CreateSurveyInput, ListSurveysInput, UpdateSurveyInput } from './surveys.schemas.ts';

/**
 * Who acts: a person or API key from a request, or the system itself (the demo seeder, the CLI).
 * Services that the demo calls accept both, so seeding goes through the same rules as the API.
 */
export type ServiceActor = Actor | { kind: 'system'; organisationId: string };

export async function listSurveys(db: Executor, actor: Actor, input: ListSurveysInput) {
  const rows = await repo.listSurveys(
    db,
    actor.organisationId,
    { status: input.status },
    { limit: input.limit, cursor: input.cursor ? decodeCursor(input.cursor) : undefined },
  );
  return toPage(rows, input.limit, presentSurvey);
}

/** Reads a survey of the actor's organisation; another organisation's id reads as missing. */
export async function getSurveyRow(db: Executor, organisationId: string, id: string) {
  const row = await repo.findSurvey(db, organisationId, id);
  if (!row) throw notFound('survey');
  return row;
}

export async function getSurvey(db: Executor, actor: Actor, id: string) {
  return presentSurvey(await getSurveyRow(db, actor.organisationId, id));
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
  if (key) {
    const existing = await repo.findSurveyByCreationKey(db, actor.organisationId, key);
    if (existing) return { survey: presentSurvey(existing), created: false };
  }
  const row: SurveyTable = {
    id: newId(),
    organisation_id: actor.organisationId,
    name: input.name,
    status: input.status,
    settings: JSON.stringify(input.settings),
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
  return { survey: presentSurvey(row), created: true };
}

/** After losing a race on the same idempotency key: the survey the other request made. */
export async function surveyByCreationKey(db: Executor, organisationId: string, key: string) {
  const row = await repo.findSurveyByCreationKey(db, organisationId, key);
  return row ? presentSurvey(row) : null;
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
      else if (value !== undefined) overrides[key] = value;
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
  return presentSurvey({ ...current, ...patch });
}
