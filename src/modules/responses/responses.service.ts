import type { Executor } from '../../db/database.ts';
import type { Locale, ResponseTable } from '../../db/schema.ts';
import { categorise } from '../../domain/scoring/nps.ts';
import type { Deps } from '../../platform/deps.ts';
import { AppError } from '../../shared/errors.ts';
import {
  parseSettings as parseOrganisationSettings,
  type OrganisationSettings,
} from '../organisations/organisation-settings.ts';
import { parseSurveySettings, type SurveySettings } from '../surveys/survey-settings.ts';
import { deviceAnswerId, deviceKey, invitationAnswerId, newDeviceId } from './answer-ids.ts';
import * as repo from './responses.repository.ts';
import type { InvitationContextRow } from './responses.repository.ts';
import { closesAt, invitationLinkState, type LinkState } from './response-rules.ts';
import type { AnswerInput } from './responses.schemas.ts';
import { storeAnswers } from './store-answers.ts';

/**
 * Parsed settings by their JSON text. Submissions arrive by the thousand per second for a handful of
 * surveys, so each distinct settings text is parsed once; an edited survey has a new text and is
 * parsed afresh. Bounded, so a server with many organisations does not grow without limit.
 */
function memo<T>(parse: (json: string) => T): (json: string) => T {
  const cache = new Map<string, T>();
  return (json) => {
    let value = cache.get(json);
    if (value === undefined) {
      value = parse(json);
      if (cache.size >= 500) cache.clear();
      cache.set(json, value);
    }
    return value;
  };
}
export const surveySettingsOf: (json: string) => SurveySettings = memo(parseSurveySettings);
export const organisationSettingsOf: (json: string) => OrganisationSettings =
  memo(parseOrganisationSettings);

/**
 * The optional questions a link actually asks. The employee question needs the survey to ask it,
 * the contact to have an account manager, and the organisation not to have switched per-employee
 * NPS off (works council, PRODUCT.md).
 */
export function askedQuestions(ctx: {
  survey_settings: string;
  organisation_settings: string;
  employee_name?: string | null;
}) {
  const survey = surveySettingsOf(ctx.survey_settings);
  const org = organisationSettingsOf(ctx.organisation_settings);
  return {
    employeeName:
      survey.askEmployee && org.employeeNpsEnabled && ctx.employee_name ? ctx.employee_name : null,
    contactOptIn: survey.askContactOptIn,
    ambassadorOptIn: survey.askAmbassadorOptIn,
  };
}

/**
 * The response row for an answer to a personal link. The contact's owner, account, segment and
 * location are
 * copied as they are now; on a later update of the same answer the upsert keeps the first copy, so
 * moving a customer to another account manager never rewrites who earned which score.
 */
export function invitationResponseRow(
  ctx: InvitationContextRow,
  answer: AnswerInput,
  now: number,
): ResponseTable {
  const asked = askedQuestions(ctx);
  const settings = surveySettingsOf(ctx.survey_settings);
  return {
    // The answer already given keeps its id (one written before ids were derived keeps its own).
    id: ctx.response_id ?? invitationAnswerId(ctx.invitation_id),
    organisation_id: ctx.organisation_id,
    survey_id: ctx.survey_id,
    invitation_id: ctx.invitation_id,
    contact_id: ctx.contact_id,
    channel: 'email',
    score: answer.score,
    category: categorise(answer.score),
    comment: answer.comment,
    employee_score: asked.employeeName ? answer.employeeScore : null,
    may_contact: asked.contactOptIn && answer.mayContact ? 1 : 0,
    // Only a promoter (9 or 10) is asked to become an ambassador: the page hides the box below 9,
    // but a box ticked at 10 stays ticked when the score is changed to 3 — that is no opt-in, and
    // an edit down from 9 or 10 withdraws one given (the ambassadors module acts on the change).
    ambassador_opt_in:
      asked.ambassadorOptIn && answer.ambassadorOptIn && categorise(answer.score) === 'promoter'
        ? 1
        : 0,
    locale: ctx.contact_language,
    owner_employee_id: ctx.owner_employee_id,
    account_id: ctx.account_id,
    segment: ctx.segment,
    location_id: ctx.location_id ?? null,
    device_key: null,
    answered_at: now,
    updated_at: now,
    closes_at: closesAt(now, settings.editableDays),
    created_at: now,
    anonymised_at: null,
  };
}

export interface InvitationPage {
  state: LinkState;
  ctx: InvitationContextRow | undefined;
}

/**
 * Opens a personal link for display. Records the first click (a funnel step) but never an answer:
 * a mail scanner that fetches every score link must leave no response behind.
 */
export async function openInvitationLink(
  db: Executor,
  token: string,
  now: number,
): Promise<InvitationPage> {
  const [ctx] = await repo.findInvitationContexts(db, [token]);
  const state = invitationLinkState(ctx, now);
  if (ctx && state === 'open' && ctx.clicked_at === null) {
    await repo.markInvitationClicked(db, ctx.organisation_id, ctx.invitation_id, now);
  }
  return { state, ctx };
}

/** Reads a personal link without side effects (the thank-you page). */
export async function readInvitationLink(
  db: Executor,
  token: string,
  now: number,
): Promise<InvitationPage> {
  const [ctx] = await repo.findInvitationContexts(db, [token]);
  return { state: invitationLinkState(ctx, now), ctx };
}

export { deviceIdTime, newDeviceId } from './answer-ids.ts';

export interface AnonymousSurvey {
  id: string;
  organisation_id: string;
  settings: string;
  /** The location the link or QR poster names (`?v=`), snapshotted on the answer. */
  location_id?: string | null;
}

/**
 * Records (or, within the edit window, updates) the answer of one browser on the anonymous link.
 * Returns false when it could not be written (see `saveAnonymousAnswer`).
 */
async function recordAnonymousResponse(
  db: Executor,
  deps: Deps,
  survey: AnonymousSurvey,
  deviceId: string,
  answer: AnswerInput,
  locale: Locale,
  now: number,
): Promise<boolean> {
  const settings = surveySettingsOf(survey.settings);
  const slot = await deviceSlotOf(db, survey, deviceId, now);
  const row: ResponseTable = {
    // The open answer's own id (one given before ids were derived keeps its own), or a new one's.
    id: slot.id,
    organisation_id: survey.organisation_id,
    survey_id: survey.id,
    invitation_id: null,
    contact_id: null,
    channel: 'anonymous',
    score: answer.score,
    category: categorise(answer.score),
    comment: answer.comment,
    // An anonymous respondent left no contact details: there is nobody to contact or enrol as an
    // ambassador, so the page does not ask and nothing is stored.
    employee_score: null,
    may_contact: 0,
    ambassador_opt_in: 0,
    locale,
    owner_employee_id: null,
    account_id: null,
    segment: null,
    location_id: survey.location_id ?? null,
    device_key: slot.key,
    answered_at: now,
    updated_at: now,
    closes_at: closesAt(now, settings.editableDays),
    created_at: now,
    anonymised_at: null,
  };
  const written = await storeAnswers(db, deps, { door: 'device', row }, now);
  return written.size > 0;
}

/**
 * Saves the answer of one browser on the anonymous link and returns the device id it is stored
 * under. A browser without an id gets a new one; one whose answer at this location is final keeps
 * its id and gives a new answer there (a walk-in customer may come back months later), so that its
 * open answers at other locations stay its own. Only an answer that cannot be written under the
 * browser's id (its key's id taken by another answer) is stored under a new one. The caller keeps
 * the returned id in the browser's cookie. Run it in a transaction, so a retry under a new id is
 * one unit with the refused first attempt.
 */
export async function saveAnonymousAnswer(
  db: Executor,
  deps: Deps,
  survey: AnonymousSurvey,
  deviceId: string | null,
  answer: AnswerInput,
  locale: Locale,
  now: number,
  nextDeviceId: (now: number) => string = newDeviceId,
): Promise<string> {
  const first = deviceId ?? nextDeviceId(now);
  if (await recordAnonymousResponse(db, deps, survey, first, answer, locale, now)) return first;
  const retry = nextDeviceId(now);
  if (await recordAnonymousResponse(db, deps, survey, retry, answer, locale, now)) return retry;
  throw new AppError('internal');
}

type DeviceAnswer = Awaited<ReturnType<typeof repo.findDeviceResponses>>[number];

/** Where a browser's answer at one location goes now, and what it gave there before. */
interface DeviceSlot {
  /** The device key its answer is written under (answer-ids.ts). */
  key: string;
  /** The id of the answer under that key: the one it has, or the one a new answer gets. */
  id: string;
  /** The answer under that key, still open to change; undefined when the next is a new one. */
  open: DeviceAnswer | undefined;
  /** The browser's last final answer at this location, if any. */
  closed: DeviceAnswer | undefined;
}

/** Generations of a browser's keys at one location read at once (most browsers have one). */
const KEYS_PER_READ = 4;

/**
 * The key of a browser's answer on an anonymous link at the location it names (answer-ids.ts): a
 * branch's poster has its own answer, and once that is final the next generation of the key is
 * the next answer there. The generations are walked in order, a few keys per read, to the first
 * that holds an open answer or none. An answer a poster's link stored before the location was part
 * of the key has the plain key; when it names this location it comes first. An answer retention
 * anonymised has no key any more but keeps its derived id: found by that id, it is a final one.
 */
async function deviceSlotOf(
  db: Executor,
  survey: AnonymousSurvey,
  deviceId: string,
  now: number,
): Promise<DeviceSlot> {
  const locationId = survey.location_id ?? null;
  const plain = deviceKey(survey.id, deviceId);
  // A new answer's time bits: the device id's for the first here, else when the one before closed.
  let time: number | undefined;
  let closed: DeviceAnswer | undefined;
  const passed = (answer: DeviceAnswer) => {
    closed = answer;
    time = answer.closes_at;
  };
  for (let generation = 0; ; generation += KEYS_PER_READ) {
    const keys = Array.from({ length: KEYS_PER_READ }, (_, i) =>
      deviceKey(survey.id, deviceId, locationId, generation + i),
    );
    const earlier = generation === 0 && locationId !== null ? [plain] : [];
    const found = new Map(
      (
        await repo.findDeviceResponses(db, survey.organisation_id, survey.id, [...earlier, ...keys])
      ).map((a) => [a.device_key, a]),
    );
    const before = found.get(plain);
    if (earlier.length > 0 && before?.location_id === locationId) {
      if (before.closes_at > now) return { key: plain, id: before.id, open: before, closed };
      passed(before);
    }
    for (const key of keys) {
      const answer = found.get(key);
      if (answer) {
        if (answer.closes_at > now) return { key, id: answer.id, open: answer, closed };
        passed(answer);
        continue;
      }
      const id = deviceAnswerId(survey.id, deviceId, key, time);
      const anonymised = await repo.findDeviceResponseById(
        db,
        survey.organisation_id,
        survey.id,
        id,
      );
      if (!anonymised) return { key, id, open: undefined, closed };
      passed(anonymised);
    }
  }
}

/**
 * The answer a browser's page on an anonymous link shows (and its location): the open one at the
 * location the link names, else the last final one there, if it has any.
 */
export async function findAnonymousResponse(
  db: Executor,
  survey: AnonymousSurvey,
  deviceId: string,
  now: number,
) {
  const slot = await deviceSlotOf(db, survey, deviceId, now);
  return slot.open ?? slot.closed;
}
