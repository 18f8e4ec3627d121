import { OPEN_COMPLAINT_HOLD_MS } from '../../domain/privacy/retention.ts';
import { sql } from 'kysely';
import type { Dialect, Executor } from '../../db/database.ts';
import { isPostgres } from '../../db/dialect.ts';
import type {
  ContactTable,
  EmployeeTable,
  InvitationTable,
  OrganisationTable,
  ResponseTable,
  SurveyTable,
} from '../../db/schema.ts';

/** What an answer looks like after it is written: the facts `response.saved` carries. */
const STORED_ANSWER_COLUMNS = [
  'id',
  'organisation_id',
  'survey_id',
  'invitation_id',
  'contact_id',
  'device_key',
  'channel',
  'score',
  'category',
  'employee_score',
  'may_contact',
  'ambassador_opt_in',
  'owner_employee_id',
  'account_id',
  'segment',
  'location_id',
  'answered_at',
  'closes_at',
] as const;

export type StoredAnswer = Pick<ResponseTable, (typeof STORED_ANSWER_COLUMNS)[number]> & {
  has_comment: number;
};

/**
 * The current score and ambassador opt-in of the answers about to be written, locked on PostgreSQL
 * until the transaction ends (SQLite has one writer), so the `previousScore` (and
 * `previousAmbassadorOptIn`) of an edit is the one it really replaced even when two edits of the
 * same answer race. In key order, so two batches never deadlock.
 */
export async function lockCurrentAnswers(
  db: Executor,
  dialect: Dialect,
  key:
    | { kind: 'invitation'; invitationIds: readonly string[] }
    | { kind: 'device'; surveyId: string; deviceKeys: readonly string[] },
) {
  const ids = key.kind === 'invitation' ? key.invitationIds : key.deviceKeys;
  if (ids.length === 0) return [];
  let query = db
    .selectFrom('responses')
    .select([
      'id',
      'invitation_id',
      'device_key',
      'score',
      'category',
      'ambassador_opt_in',
      'closes_at',
    ]);
  query =
    key.kind === 'invitation'
      ? query.where('invitation_id', 'in', [...ids]).orderBy('invitation_id')
      : query
          .where('survey_id', '=', key.surveyId)
          .where('device_key', 'in', [...ids])
          .orderBy('device_key');
  return dialect === 'postgres' ? query.forUpdate().execute() : query.execute();
}

/**
 * Everything a personal link needs in one indexed lookup: the invitation, its survey and
 * organisation, the contact's current owner/account/segment/location (snapshotted into a new response), the
 * owner's name (employee question) and the current answer, if any.
 */
type Invitation = InvitationTable;
type Answer = ResponseTable;

/** What an answer to a personal link needs to know of its invitation, as one flat row. */
export interface InvitationContextRow {
  token: Invitation['token'];
  invitation_id: Invitation['id'];
  organisation_id: Invitation['organisation_id'];
  survey_id: Invitation['survey_id'];
  contact_id: Invitation['contact_id'];
  invitation_status: Invitation['status'];
  expires_at: Invitation['expires_at'];
  clicked_at: Invitation['clicked_at'];
  survey_status: SurveyTable['status'];
  survey_settings: SurveyTable['settings'];
  organisation_name: OrganisationTable['name'];
  organisation_settings: OrganisationTable['settings'];
  contact_language: ContactTable['language'];
  contact_first_name: ContactTable['first_name'];
  contact_erased_at: ContactTable['erased_at'];
  owner_employee_id: ContactTable['owner_employee_id'];
  account_id: ContactTable['account_id'];
  segment: ContactTable['segment'];
  location_id: ContactTable['location_id'];
  employee_name: EmployeeTable['name'] | null;
  response_id: Answer['id'] | null;
  response_score: Answer['score'] | null;
  response_comment: Answer['comment'];
  response_employee_score: Answer['employee_score'];
  response_may_contact: Answer['may_contact'] | null;
  response_ambassador_opt_in: Answer['ambassador_opt_in'] | null;
  response_answered_at: Answer['answered_at'] | null;
  response_closes_at: Answer['closes_at'] | null;
}

/**
 * Of these contacts, those erased, read with their rows locked (PostgreSQL, in id order) to the
 * end of the transaction: the last step of an answer batch, after the invitations and cases it
 * updated (the order every writer of a contact follows), so an erasure that committed while the
 * batch ran is seen (`writeSubmissions`).
 */
export async function erasedContactsAmong(
  db: Executor,
  contacts: ReadonlyArray<{ organisationId: string; id: string }>,
): Promise<string[]> {
  if (contacts.length === 0) return [];
  const ids = [...new Set(contacts.map((c) => c.id))].sort();
  const wanted = new Set(contacts.map((c) => `${c.organisationId} ${c.id}`));
  const rows = await db
    .selectFrom('contacts')
    .select(['organisation_id', 'id', 'erased_at'])
    .where('id', 'in', ids)
    .orderBy('id')
    .forNoKeyUpdate()
    .execute();
  return rows
    .filter((r) => r.erased_at !== null && wanted.has(`${r.organisation_id} ${r.id}`))
    .map((r) => r.id);
}

/**
 * The context of each token's invitation, for the tokens that name one. Four lookups by key —
 * the invitations by token, their answers by invitation, their contacts (with the owner's name),
 * their surveys (with the organisation) — rather than one join: on PostgreSQL, whose invitations
 * and answers are partitioned by month, planning the six-table join cost more than running it
 * (2.5 ms against 1 ms for 50 tokens), and an answers lookup planned with the tenant's column beside
 * the invitation's could walk the tenant's whole index. Every row is matched on its organisation
 * too: a row of one tenant never meets another tenant's row.
 */
export async function findInvitationContexts(
  db: Executor,
  tokens: readonly string[],
  options: {
    /**
     * PostgreSQL: lock the answers read, in invitation order, until the transaction ends (what
     * `lockCurrentAnswers` does), so a writer that stores answers next knows the answer each one
     * replaces without reading it again. SQLite has one writer: nothing to lock.
     */
    lockAnswers?: boolean;
  } = {},
): Promise<InvitationContextRow[]> {
  if (tokens.length === 0) return [];
  const invitations = await db
    .selectFrom('invitations')
    .select([
      'token',
      'id',
      'organisation_id',
      'survey_id',
      'contact_id',
      'status',
      'expires_at',
      'clicked_at',
    ])
    .where('token', 'in', [...tokens])
    .execute();
  if (invitations.length === 0) return [];
  const unique = (values: readonly string[]) => [...new Set(values)];
  const answersQuery = db
    .selectFrom('responses')
    .select([
      'id',
      'organisation_id',
      'invitation_id',
      'score',
      'comment',
      'employee_score',
      'may_contact',
      'ambassador_opt_in',
      'answered_at',
      'closes_at',
    ])
    .where('invitation_id', 'in', unique(invitations.map((i) => i.id)));
  const [answers, contacts, surveys] = [
    options.lockAnswers && isPostgres(db)
      ? await answersQuery.orderBy('invitation_id').forUpdate().execute()
      : await answersQuery.execute(),
    await db
      .selectFrom('contacts as c')
      .leftJoin('employees as e', (j) =>
        j
          .onRef('e.id', '=', 'c.owner_employee_id')
          .onRef('e.organisation_id', '=', 'c.organisation_id'),
      )
      .select([
        'c.id',
        'c.organisation_id',
        'c.language',
        'c.first_name',
        'c.erased_at',
        'c.owner_employee_id',
        'c.account_id',
        'c.segment',
        'c.location_id',
        'e.name as employee_name',
      ])
      .where('c.id', 'in', unique(invitations.map((i) => i.contact_id)))
      .execute(),
    await db
      .selectFrom('surveys as s')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .select([
        's.id',
        's.organisation_id',
        's.status',
        's.settings',
        'o.name as organisation_name',
        'o.settings as organisation_settings',
      ])
      .where('s.id', 'in', unique(invitations.map((i) => i.survey_id)))
      .execute(),
  ];
  const key = (organisationId: string, id: string | null) => `${organisationId} ${id ?? ''}`;
  const answerOf = new Map(answers.map((r) => [key(r.organisation_id, r.invitation_id), r]));
  const contactOf = new Map(contacts.map((c) => [key(c.organisation_id, c.id), c]));
  const surveyOf = new Map(surveys.map((s) => [key(s.organisation_id, s.id), s]));
  const rows: InvitationContextRow[] = [];
  for (const i of invitations) {
    const survey = surveyOf.get(key(i.organisation_id, i.survey_id));
    const contact = contactOf.get(key(i.organisation_id, i.contact_id));
    if (!survey || !contact) continue;
    const answer = answerOf.get(key(i.organisation_id, i.id));
    rows.push({
      token: i.token,
      invitation_id: i.id,
      organisation_id: i.organisation_id,
      survey_id: i.survey_id,
      contact_id: i.contact_id,
      invitation_status: i.status,
      expires_at: i.expires_at,
      clicked_at: i.clicked_at,
      survey_status: survey.status,
      survey_settings: survey.settings,
      organisation_name: survey.organisation_name,
      organisation_settings: survey.organisation_settings,
      contact_language: contact.language,
      contact_first_name: contact.first_name,
      contact_erased_at: contact.erased_at,
      owner_employee_id: contact.owner_employee_id,
      account_id: contact.account_id,
      segment: contact.segment,
      location_id: contact.location_id,
      employee_name: contact.employee_name,
      response_id: answer?.id ?? null,
      response_score: answer?.score ?? null,
      response_comment: answer?.comment ?? null,
      response_employee_score: answer?.employee_score ?? null,
      response_may_contact: answer?.may_contact ?? null,
      response_ambassador_opt_in: answer?.ambassador_opt_in ?? null,
      response_answered_at: answer?.answered_at ?? null,
      response_closes_at: answer?.closes_at ?? null,
    });
  }
  return rows;
}

/** Records the first click on a personal link (a funnel step, not an answer). Idempotent. */
export async function markInvitationClicked(
  db: Executor,
  organisationId: string,
  invitationId: string,
  now: number,
): Promise<void> {
  await db
    .updateTable('invitations')
    .set({ clicked_at: now })
    .where('organisation_id', '=', organisationId)
    .where('id', '=', invitationId)
    .where('clicked_at', 'is', null)
    .execute();
}

/** Sets responded_at (and clicked_at, as an answer implies a click) on first answer only. */
export async function markInvitationsResponded(
  db: Executor,
  organisationId: string,
  invitationIds: readonly string[],
  now: number,
): Promise<void> {
  if (invitationIds.length === 0) return;
  await db
    .updateTable('invitations')
    .set((eb) => ({
      responded_at: eb.fn.coalesce('responded_at', eb.val(now)),
      clicked_at: eb.fn.coalesce('clicked_at', eb.val(now)),
    }))
    // The tenant filter is written as an expression on purpose: without statistics SQLite's planner
    // would otherwise walk the organisation's index (every invitation of the tenant) instead of
    // looking up the listed primary keys, turning a 1 ms update into a scan.
    .where(sql<string>`coalesce(organisation_id, '')`, '=', organisationId)
    .where('id', 'in', invitationIds)
    .execute();
}

/**
 * Inserts first answers, skipping any whose id is taken (another transaction's first answer of the
 * same key, committed meanwhile: the caller reads it and upserts). Returns what was inserted.
 * No conflict target: on a partitioned `responses` the primary key is the one unique key, but on
 * SQLite and on a PostgreSQL table still waiting for `loyaal migrate` (migration 0048) the unique
 * indexes on the invitation and on (survey, device key) stand beside it. With `(id)` as the target
 * a racing first answer would fail on one of those instead of being skipped: `ON CONFLICT` settles
 * a conflict on its arbiter indexes only.
 */
export async function insertNewAnswers(
  db: Executor,
  rows: readonly ResponseTable[],
): Promise<StoredAnswer[]> {
  if (rows.length === 0) return [];
  return db
    .insertInto('responses')
    .values([...rows])
    .onConflict((oc) => oc.doNothing())
    .returning(STORED_ANSWER_COLUMNS)
    .returning(sql<number>`case when comment is null then 0 else 1 end`.as('has_comment'))
    .execute();
}

/**
 * What an upsert changes on an existing answer. `score`: the one-click score posted by the page's
 * script (comment and opt-ins are kept). `full`: the submitted form, which replaces every answer
 * field. Never the snapshots, answered_at or closes_at: they belong to the first answer.
 */
export type UpsertMode = 'score' | 'full';

/**
 * Inserts answers to personal links, or updates the existing answer of the same invitation while
 * its edit window is open (`closes_at > now`). One statement for many rows (group commit) that
 * both SQLite and PostgreSQL run identically. Each row's id is the invitation's answer id
 * (answer-ids.ts: derived from the invitation, or the id of the answer it already has), so the
 * primary key turns a concurrent double submit into an update instead of a second answer — also on
 * PostgreSQL, where `responses` is partitioned and no index on invitation_id is unique table-wide.
 * Returns the invitation ids actually written: an invitation missing from the result had a closed
 * window.
 */
export async function upsertInvitationResponses(
  db: Executor,
  rows: readonly ResponseTable[],
  mode: UpsertMode,
  now: number,
): Promise<StoredAnswer[]> {
  if (rows.length === 0) return [];
  const written = await db
    .insertInto('responses')
    .values([...rows])
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet((eb) =>
          mode === 'score'
            ? {
                score: eb.ref('excluded.score'),
                category: eb.ref('excluded.category'),
                // The rest of the form stays, except an ambassador opt-in on a score no longer
                // a promoter's: an edit down from 9 or 10 withdraws it, as on the full form.
                ambassador_opt_in: eb
                  .case()
                  .when('excluded.category', '=', 'promoter')
                  .then(eb.ref('responses.ambassador_opt_in'))
                  .else(0)
                  .end(),
                updated_at: eb.ref('excluded.updated_at'),
              }
            : {
                score: eb.ref('excluded.score'),
                category: eb.ref('excluded.category'),
                comment: eb.ref('excluded.comment'),
                employee_score: eb.ref('excluded.employee_score'),
                may_contact: eb.ref('excluded.may_contact'),
                ambassador_opt_in: eb.ref('excluded.ambassador_opt_in'),
                updated_at: eb.ref('excluded.updated_at'),
              },
        )
        .where('responses.closes_at', '>', now)
        // The id is derived from the invitation (answer-ids.ts): the row it meets is that
        // invitation's answer. Said again here, so that not even a collision of derived ids
        // could let one invitation's answer overwrite another's.
        .whereRef('responses.invitation_id', '=', 'excluded.invitation_id'),
    )
    .returning(STORED_ANSWER_COLUMNS)
    .returning(sql<number>`case when comment is null then 0 else 1 end`.as('has_comment'))
    .execute();
  return written;
}

/** What the anonymous page shows of a browser's answer, and what finds its next key. */
const DEVICE_ANSWER_COLUMNS = [
  'id',
  'device_key',
  'score',
  'category',
  'comment',
  'may_contact',
  'ambassador_opt_in',
  'answered_at',
  'closes_at',
  'location_id',
] as const;

/** A browser's answers on an anonymous link under these device keys (answer-ids.ts). */
export async function findDeviceResponses(
  db: Executor,
  organisationId: string,
  surveyId: string,
  deviceKeys: readonly string[],
) {
  if (deviceKeys.length === 0) return [];
  return db
    .selectFrom('responses')
    .select(DEVICE_ANSWER_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('survey_id', '=', surveyId)
    .where('device_key', 'in', [...deviceKeys])
    .execute();
}

/**
 * An answer on an anonymous link by its id: one that retention anonymised has lost its device key
 * but keeps the id derived from it.
 */
export async function findDeviceResponseById(
  db: Executor,
  organisationId: string,
  surveyId: string,
  id: string,
) {
  return db
    .selectFrom('responses')
    .select(DEVICE_ANSWER_COLUMNS)
    .where('organisation_id', '=', organisationId)
    .where('survey_id', '=', surveyId)
    .where('id', '=', id)
    .executeTakeFirst();
}

/**
 * Inserts the answer of one browser on an anonymous link, or updates that browser's answer while it
 * is editable. The id is derived from (survey, device key), so the primary key makes a concurrent
 * double submit an update. The device key includes the location a poster names (and the
 * generation of the browser's answers there), so the row met is this answer and its location stays.
 * Returns nothing when the browser's earlier answer is closed.
 */
export async function upsertDeviceResponse(
  db: Executor,
  row: ResponseTable,
  now: number,
): Promise<StoredAnswer | undefined> {
  return db
    .insertInto('responses')
    .values(row)
    .onConflict((oc) =>
      oc
        .column('id')
        .doUpdateSet((eb) => ({
          score: eb.ref('excluded.score'),
          category: eb.ref('excluded.category'),
          comment: eb.ref('excluded.comment'),
          may_contact: eb.ref('excluded.may_contact'),
          ambassador_opt_in: eb.ref('excluded.ambassador_opt_in'),
          locale: eb.ref('excluded.locale'),
          updated_at: eb.ref('excluded.updated_at'),
        }))
        .where('responses.closes_at', '>', now)
        .whereRef('responses.survey_id', '=', 'excluded.survey_id')
        .whereRef('responses.device_key', '=', 'excluded.device_key'),
    )
    .returning(STORED_ANSWER_COLUMNS)
    .returning(sql<number>`case when comment is null then 0 else 1 end`.as('has_comment'))
    .executeTakeFirst();
}

/** A contact's answers, for the AVG/GDPR export. */
export async function listContactResponses(
  db: Executor,
  organisationId: string,
  contactId: string,
) {
  return db
    .selectFrom('responses')
    .select([
      'id',
      'survey_id',
      'channel',
      'score',
      'category',
      'comment',
      'employee_score',
      'may_contact',
      'ambassador_opt_in',
      'locale',
      'answered_at',
      'updated_at',
    ])
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .orderBy('answered_at', 'asc')
    .orderBy('id', 'asc')
    .execute();
}

/**
 * Erasure: removes what the person wrote and the consents they gave; the score, category and
 * snapshots stay so the organisation's NPS history keeps adding up.
 */
export async function eraseContactResponses(
  db: Executor,
  organisationId: string,
  contactId: string,
  now: number,
): Promise<void> {
  // The contact's row first, which an answer's transaction locks before it commits
  // (`erasedContactsAmong`): an answer still running is waited for and erased below with the
  // rest; one that locks it after this erasure finds the person erased and is undone.
  if (isPostgres(db)) {
    await db
      .selectFrom('contacts')
      .select('id')
      .where('organisation_id', '=', organisationId)
      .where('id', '=', contactId)
      .forNoKeyUpdate()
      .execute();
  }
  await db
    .updateTable('responses')
    .set({ comment: null, may_contact: 0, ambassador_opt_in: 0, updated_at: now })
    .where('organisation_id', '=', organisationId)
    .where('contact_id', '=', contactId)
    .execute();
}

/**
 * Retention: removes who gave up to `limit` answers from before `cutoff` — contact, invitation
 * (which leads to the contact), device, comment and opt-ins — and marks them anonymised. Score,
 * category and the owner/account/segment snapshots stay, so every figure stays as it was.
 */
export async function anonymiseResponsesBefore(
  db: Executor,
  organisationId: string,
  cutoff: number,
  limit: number,
  now: number,
): Promise<number> {
  // An answer behind a complaint still being worked (a recovery case, open or contacted) keeps
  // who gave it and what they wrote until the case is closed — the colleague calling the customer
  // back needs both — but at most a year past the period: a case nobody closes does not keep a
  // person's data for ever. A thank-you task holds nothing back.
  const active = ['open', 'contacted'] as const;
  const ids = await db
    .selectFrom('responses as r')
    .select('r.id')
    .where('r.organisation_id', '=', organisationId)
    .where('r.answered_at', '<', cutoff)
    .where('r.anonymised_at', 'is', null)
    .where((eb) =>
      eb.or([
        eb('r.answered_at', '<', cutoff - OPEN_COMPLAINT_HOLD_MS),
        eb.and([
          eb.not(
            eb.exists(
              eb
                .selectFrom('cases as c')
                .select('c.id')
                .where('c.organisation_id', '=', organisationId)
                .where('c.response_id', '=', eb.ref('r.id'))
                .where('c.kind', '=', 'recovery')
                .where('c.status', 'in', active),
            ),
          ),
          eb.not(
            eb.exists(
              eb
                .selectFrom('case_responses as cr')
                .innerJoin('cases as c', 'c.id', 'cr.case_id')
                .select('c.id')
                .where('cr.organisation_id', '=', organisationId)
                .where('cr.response_id', '=', eb.ref('r.id'))
                .where('c.kind', '=', 'recovery')
                .where('c.status', 'in', active),
            ),
          ),
        ]),
      ]),
    )
    .limit(limit)
    .execute();
  // One answer per statement, found by its key: with the whole list in one `id in (...)`, SQLite
  // (no statistics) judged the organisation's index the cheaper way in and read every answer of
  // the organisation for each batch.
  for (const { id } of ids) {
    await db
      .updateTable('responses')
      .set({
        contact_id: null,
        invitation_id: null,
        device_key: null,
        comment: null,
        may_contact: 0,
        ambassador_opt_in: 0,
        anonymised_at: now,
        updated_at: now,
      })
      .where('organisation_id', '=', organisationId)
      .where('id', '=', id)
      .execute();
  }
  return ids.length;
}
