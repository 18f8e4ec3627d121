/**
 * The database shape, identical on SQLite and PostgreSQL. Conventions that keep both dialects
 * returning the same values:
 * - ids are text (random UUIDs), timestamps are integer milliseconds since the epoch (bigint),
 * - booleans are integers 0/1, JSON is stored as text and parsed by repositories,
 * - every tenant-owned row carries `organisation_id`, and every query filters on it.
 */
export interface Database {
  organisations: OrganisationTable;
  users: UserTable;
  memberships: MembershipTable;
  user_invites: UserInviteTable;
  sessions: SessionTable;
  api_keys: ApiKeyTable;
  employees: EmployeeTable;
  accounts: AccountTable;
  contacts: ContactTable;
  consent_events: ConsentEventTable;
  imports: ImportTable;
  import_errors: ImportErrorTable;
  import_rejected_rows: ImportRejectedRowTable;
  audit_log: AuditLogTable;
  jobs: JobTable;
  surveys: SurveyTable;
  survey_sends: SurveySendTable;
  invitations: InvitationTable;
  responses: ResponseTable;
  emails: EmailTable;
  mail_servers: MailServerTable;
  mail_tests: MailTestTable;
  logos: LogoTable;
  rate_limits: RateLimitTable;
  cases: CaseTable;
  case_responses: CaseResponseTable;
  case_events: CaseEventTable;
  webhook_endpoints: WebhookEndpointTable;
  webhook_deliveries: WebhookDeliveryTable;
  webhook_attempts: WebhookAttemptTable;

  rollup_nps_daily: RollupNpsDailyTable;
  rollup_nps_employee_daily: RollupNpsEmployeeDailyTable;
  rollup_nps_employee_weekly: RollupNpsEmployeeWeeklyTable;
  rollup_invitation_funnel: RollupInvitationFunnelTable;
  rollup_nps_location_daily: RollupNpsLocationDailyTable;
  referral_programmes: ReferralProgrammeTable;
  ambassadors: AmbassadorTable;
  referrals: ReferralTable;
  rewards: RewardTable;
  code_misses: CodeMissTable;
  ambassador_tasks: AmbassadorTaskTable;
  visits: VisitTable;
  loyalty_tasks: LoyaltyTaskTable;
  loyalty_contact_facts: LoyaltyContactFactsTable;
  loyalty_revenue_months: LoyaltyRevenueMonthTable;
  visit_triggers: VisitTriggerTable;
  visit_request_keys: VisitRequestKeyTable;
  erased_identifiers: ErasedIdentifierTable;
  locations: LocationTable;
  review_settings: ReviewSettingsTable;
  review_requests: ReviewRequestTable;
  notifications: NotificationTable;
  notification_reads: NotificationReadTable;
  digest_tokens: DigestTokenTable;
}

export type Role = 'owner' | 'admin' | 'manager' | 'account_manager' | 'viewer';
export type Locale = 'nl' | 'en';

export interface OrganisationTable {
  id: string;
  name: string;
  locale: Locale;
  /** JSON text: organisation settings (contact rules, branding, feature switches). */
  settings: string;
  created_at: number;
  updated_at: number;
}

export interface UserTable {
  id: string;
  email: string;
  name: string;
  password_hash: string;
  locale: Locale;
  created_at: number;
  updated_at: number;
}

export interface MembershipTable {
  id: string;
  organisation_id: string;
  user_id: string;
  role: Role;
  /** The employee record this login belongs to: an account manager sees that employee's contacts. */
  employee_id: string | null;
  created_at: number;
  /** The weekly digest: 1 wanted, 0 not, null never chosen (the role's default; migration 0038). */
  weekly_digest: number | null;
}

/**
 * One sent weekly digest's one-click unsubscribe token (migration 0056): only its SHA-256, one row
 * per membership and ISO week, so every digest's link keeps working.
 */
export interface DigestTokenTable {
  id: string;
  organisation_id: string;
  membership_id: string;
  /** The ISO week the digest reported, `2026-W48`. */
  week: string;
  token_hash: string;
  created_at: number;
}

export interface UserInviteTable {
  id: string;
  organisation_id: string;
  email: string;
  role: Role;
  employee_id: string | null;
  token_hash: string;
  invited_by: string;
  expires_at: number;
  accepted_at: number | null;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie token: a stolen database does not yield live sessions. */
  id: string;
  user_id: string;
  organisation_id: string;
  csrf_token: string;
  created_at: number;
  expires_at: number;
}

export interface ApiKeyTable {
  id: string;
  organisation_id: string;
  name: string;
  prefix: string;
  key_hash: string;
  role: Role;
  created_by: string | null;
  created_at: number;
  last_used_at: number | null;
  revoked_at: number | null;
}

export interface EmployeeTable {
  id: string;
  organisation_id: string;
  name: string;
  email: string | null;
  team: string | null;
  search_text: string;
  created_at: number;
  updated_at: number;
}

export interface AccountTable {
  id: string;
  organisation_id: string;
  external_id: string | null;
  name: string;
  segment: string | null;
  owner_employee_id: string | null;
  search_text: string;
  created_at: number;
  updated_at: number;
}

export type ConsentStatus = 'unknown' | 'granted' | 'withdrawn';

export interface ContactTable {
  id: string;
  organisation_id: string;
  external_id: string | null;
  name: string | null;
  email: string | null;
  /** Lower-cased email, unique per organisation: the upsert key when there is no external id. */
  email_key: string | null;
  phone: string | null;
  /** `phoneKey(phone)` (domain/identity): how visits and referrals find a customer by phone (0059). */
  phone_key: string | null;
  /** The name a greeting uses ("Beste Ingrid,"); never guessed from `name` (migration 0004). */
  first_name: string | null;
  /** An imported salutation used verbatim as the greeting ("Geachte heer Jansen"). */
  salutation: string | null;
  language: Locale;
  owner_employee_id: string | null;
  account_id: string | null;
  segment: string | null;
  /** The contact's location (vestiging), if the business has several (migration 0030). */
  location_id: string | null;
  /** JSON text: free attributes from a CRM (string values only). */
  attributes: string;
  consent_status: ConsentStatus;
  consent_source: string | null;
  consent_at: number | null;
  unsubscribed_at: number | null;
  bounced_at: number | null;
  erased_at: number | null;
  /** Lower-case, accent-free concatenation of name, email, phone and ids, for search on both dialects. */
  search_text: string;
  created_at: number;
  updated_at: number;
}

export interface ConsentEventTable {
  id: string;
  organisation_id: string;
  contact_id: string;
  kind:
    | 'granted'
    | 'withdrawn'
    | 'unsubscribed'
    | 'resubscribed'
    | 'bounced'
    | 'complained'
    /** No more review requests (their one-click link); the NPS surveys go on. */
    | 'review_unsubscribed';
  source: string;
  created_at: number;
}

export type ImportStatus =
  'uploaded' | 'validating' | 'validated' | 'importing' | 'completed' | 'failed' | 'cancelled';

export interface ImportTable {
  id: string;
  organisation_id: string;
  created_by: string | null;
  filename: string;
  format: 'csv' | 'xlsx';
  status: ImportStatus;
  /** JSON text: detected encoding, delimiter and headers. */
  detected: string;
  /** JSON text: header → field mapping chosen by the user. */
  mapping: string | null;
  total_rows: number;
  processed_rows: number;
  valid_rows: number;
  rejected_rows: number;
  created_rows: number;
  updated_rows: number;
  /** Valid rows whose contact has no email address: imported, but not invitable by email. */
  without_email_rows: number;
  /** JSON text: the owner's decision per unknown account manager (`OwnerResolution[]`). */
  owner_resolutions: string | null;
  /** JSON text: the owner's decision per unknown location (`LocationResolution[]`, migration 0035). */
  location_resolutions: string | null;
  error: string | null;
  created_at: number;
  updated_at: number;
  /** What the rows are (migration 0022): customers, or their visits and purchases. */
  kind: ImportKind;
  /** JSON text: answers about the file, e.g. `{ "decimal": "comma" }` (migration 0022). */
  options: string | null;
  /** JSON text: the open question validation stopped at, until answered (migration 0022). */
  question: string | null;
}

export type ImportKind = 'contacts' | 'visits';

/** A rejected row as it was in the file, for the download of rejected rows. */
export interface ImportRejectedRowTable {
  id: string;
  import_id: string;
  organisation_id: string;
  line: number;
  /** JSON text: the cells in column order. */
  cells: string;
  /** The row's email cell, lower-cased (found by erasure and export). */
  email: string | null;
}

export interface ImportErrorTable {
  id: string;
  import_id: string;
  organisation_id: string;
  line: number;
  field: string | null;
  code: string;
  value: string | null;
}

export interface AuditLogTable {
  id: string;
  organisation_id: string;
  actor_type: 'user' | 'api_key' | 'system';
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string | null;
  data: string;
  created_at: number;
}

/**
 * A rate-limit counter shared by every app process: attempts under one key (a SHA-256 digest of the
 * limit's name and the client's key) in the fixed window that ends at `expires_at`. Not tenant data.
 */
export interface RateLimitTable {
  key: string;
  count: number;
  window_start: number;
  expires_at: number;
}

export type JobStatus = 'queued' | 'running' | 'done' | 'failed';

export interface JobTable {
  id: string;
  organisation_id: string | null;
  type: string;
  /** JSON text: ids only, never whole entities. */
  payload: string;
  status: JobStatus;
  run_at: number;
  attempts: number;
  max_attempts: number;
  locked_by: string | null;
  locked_until: number | null;
  last_error: string | null;
  result: string | null;
  created_at: number;
  finished_at: number | null;
  /** At most one job per key (scheduled work enqueued by several workers); null for most jobs. */
  dedupe_key: string | null;
  /**
   * Jobs of one group run one at a time, in claim order, across every worker (migration 0064):
   * `webhook:<endpointId>`. Null for most jobs.
   */
  group_key: string | null;
  /**
   * `jobKeyOf` the payload (platform/jobs/job-key.ts): a digest of its fields in name order, so
   * "try again" finds a mail's job by `(organisation_id, type, payload_key)` (migration 0069).
   * Written with every payload; null on a payload that is not a JSON object, and on jobs finished
   * before migration 0069.
   */
  payload_key: string | null;
}

// ---- The NPS loop (migration 0002) ----

export type SurveyStatus = 'draft' | 'active' | 'archived';

export interface SurveyTable {
  id: string;
  organisation_id: string;
  name: string;
  status: SurveyStatus;
  /** JSON text: texts per language, optional questions, branding. */
  settings: string;
  /** Public token of the anonymous link / QR code. */
  anonymous_token: string;
  /** Idempotency key of the request that created it: a repeated create returns this survey. */
  creation_key: string | null;
  created_at: number;
  updated_at: number;
}

export interface SurveySendTable {
  id: string;
  organisation_id: string;
  survey_id: string;
  /** JSON text: how contacts were chosen (all, segment, owner, filter, csv). */
  selection: string;
  /** JSON text: `{ kind: 'now' }` or `{ kind: 'waves', start, end, waves }`. */
  schedule: string;
  status: 'planned' | 'sending' | 'completed' | 'cancelled';
  planned_count: number;
  skipped_count: number;
  /** JSON text: contacts skipped when planning, counted per headline skip reason (migration 0003). */
  skip_summary: string;
  created_by: string | null;
  created_at: number;
}

/**
 * `outbox`: composed, but no mail server was configured, so it stayed in the local outbox. It never
 * left, so it is not sent, not delivered and does not count for the contact-frequency rules.
 */
export type InvitationStatus =
  'planned' | 'queued' | 'sent' | 'outbox' | 'bounced' | 'failed' | 'skipped' | 'cancelled';

export interface InvitationTable {
  id: string;
  organisation_id: string;
  survey_id: string;
  send_id: string | null;
  contact_id: string;
  /** Snapshot of the contact's account when planned: the account budget counts on it. */
  account_id: string | null;
  channel: 'email';
  /** Single-use personal link token (256 bits, URL-safe). */
  token: string;
  /** Stable RFC 5322 Message-ID, so a re-send after a crash can be deduplicated by receivers. */
  message_id: string;
  status: InvitationStatus;
  planned_at: number;
  sent_at: number | null;
  clicked_at: number | null;
  responded_at: number | null;
  bounced_at: number | null;
  reminder_planned_at: number | null;
  reminder_sent_at: number | null;
  /** After this moment the link no longer accepts or changes an answer. */
  expires_at: number;
  created_at: number;
  /** Headline skip-reason code when the send-time re-check skipped it (migration 0003). */
  skip_reason: string | null;
}

export type ResponseChannel = 'email' | 'anonymous';

export interface ResponseTable {
  id: string;
  organisation_id: string;
  survey_id: string;
  invitation_id: string | null;
  contact_id: string | null;
  channel: ResponseChannel;
  score: number;
  category: 'promoter' | 'passive' | 'detractor';
  comment: string | null;
  employee_score: number | null;
  may_contact: number;
  ambassador_opt_in: number;
  locale: Locale;
  /** Snapshots at the moment of answering: a later change of owner does not rewrite history. */
  owner_employee_id: string | null;
  account_id: string | null;
  segment: string | null;
  /**
   * Snapshot of the location (vestiging): the contact's, or the one the anonymous link / QR poster
   * names (migration 0030).
   */
  location_id: string | null;
  /** Anonymous link: hash of a per-browser cookie, one response per device. */
  device_key: string | null;
  answered_at: number;
  updated_at: number;
  closes_at: number;
  created_at: number;
  /** Set when retention removed who answered (contact, invitation, device, comment, opt-ins). */
  anonymised_at: number | null;
}

/**
 * Why an email's last attempt failed. `rejected`: the server refused the recipient's address for
 * good (a hard bounce); `refused`: it refused the message for good after its DATA (spam, size,
 * content). Neither is sent again by its job. `sender`: it refused our sender address (the
 * settings), tried again as after a refused login (`auth`). `relay`: it would not take mail for
 * the recipient from us, not blaming the address (relay denied, a login required, a policy: a
 * 5xx at RCPT TO other than 5.1.x), tried again the same way; the customer is not suppressed.
 */
export type MailFailure =
  | 'unreachable'
  | 'timeout'
  | 'auth'
  | 'tls'
  | 'sender'
  | 'relay'
  | 'temporary'
  | 'rejected'
  | 'refused'
  | 'other';

export interface EmailTable {
  id: string;
  organisation_id: string | null;
  kind:
    | 'invitation'
    | 'reminder'
    | 'user_invite'
    | 'test'
    | 'case_alert'
    | 'case_escalation'
    | 'ambassador_invite'
    | 'friend_welcome'
    | 'review_request'
    | 'weekly_digest';
  invitation_id: string | null;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  /** JSON text: extra headers (List-Unsubscribe, …). */
  headers: string;
  message_id: string;
  /** `held`: kept in the local outbox because no mail server is configured; it never left. */
  status: 'queued' | 'sent' | 'held' | 'failed';
  transport: 'smtp' | 'outbox';
  error: string | null;
  /**
   * Why the last attempt failed, as a stable code: `unreachable`, `timeout`, `auth`, `tls`,
   * `temporary` (a 4xx answer), `rejected` (a 5xx refusal of the recipient), `other`.
   */
  failure: MailFailure | null;
  /** While a failed send is retried: when the next attempt is due. */
  next_attempt_at: number | null;
  sent_at: number | null;
  created_at: number;
}

// ---- The owner's first day (migration 0004) ----

export type MailSecurity = 'none' | 'starttls' | 'tls';

/** An organisation's own mail server; without a row the installation's SMTP_URL (if any) is used. */
export interface MailServerTable {
  organisation_id: string;
  host: string;
  port: number;
  security: MailSecurity;
  username: string | null;
  /** AES-256-GCM ciphertext under SECRET_KEY (`shared/secret-box.ts`), never the password. */
  password_secret: string | null;
  from_address: string;
  created_at: number;
  updated_at: number;
}

/** One "send a test mail to me": which server it went through and what the server answered. */
export interface MailTestTable {
  id: string;
  organisation_id: string;
  source: 'organisation' | 'installation' | 'none';
  ok: number;
  /** Failure class (`explainSmtpError`), null when the server accepted the message. */
  reason: string | null;
  /** The server's own reply text, for the person reading the result. */
  server_reply: string | null;
  created_at: number;
}

/** An uploaded logo (PNG or JPEG), served from `/logos/:id`. */
export interface LogoTable {
  id: string;
  organisation_id: string;
  content_type: 'image/png' | 'image/jpeg';
  bytes: Buffer;
  width: number;
  height: number;
  created_at: number;
}

/** A follow-up of an unhappy customer (`recovery`) or a thank-you task for a promoter (`thanks`). */
export interface CaseTable {
  id: string;
  organisation_id: string;
  contact_id: string;
  kind: 'recovery' | 'thanks';
  status: 'open' | 'contacted' | 'resolved' | 'unresolvable' | 'changed_by_customer';
  priority: 'low' | 'normal' | 'high' | 'urgent';
  /** JSON text: `{ reasons: string[], themeWords: string[] }`. */
  reasons: string;
  owner_employee_id: string | null;
  owner_rule: 'account-manager' | 'account' | 'segment' | 'round-robin' | 'none' | 'manual';
  team: string | null;
  /** The answer that opened the case. */
  response_id: string;
  survey_id: string;
  opened_score: number;
  opened_category: 'promoter' | 'passive' | 'detractor';
  opened_at: number;
  due_at: number;
  first_contact_at: number | null;
  escalated_at: number | null;
  alerted_at: number | null;
  closed_at: number | null;
  follow_up_invitation_id: string | null;
  follow_up_score: number | null;
  follow_up_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface CaseResponseTable {
  case_id: string;
  response_id: string;
  organisation_id: string;
  linked_at: number;
}

export interface CaseEventTable {
  id: string;
  organisation_id: string;
  case_id: string;
  at: number;
  type: string;
  user_id: string | null;
  /** A note's text (personal data). */
  body: string | null;
  /** JSON text. */
  detail: string;
}

export interface WebhookEndpointTable {
  id: string;
  organisation_id: string;
  url: string;
  description: string | null;
  /** JSON text: event types. */
  events: string;
  format: 'standard' | 'slack' | 'teams';
  enabled: number;
  disabled_reason: string | null;
  secret_sealed: string;
  previous_secret_sealed: string | null;
  previous_secret_until: number | null;
  created_at: number;
  updated_at: number;
}

export interface WebhookDeliveryTable {
  id: string;
  organisation_id: string;
  endpoint_id: string;
  message_id: string;
  event_type: string;
  payload: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status_code: number | null;
  last_duration_ms: number | null;
  last_error: string | null;
  next_attempt_at: number | null;
  delivered_at: number | null;
  created_at: number;
}

export interface WebhookAttemptTable {
  id: string;
  organisation_id: string;
  delivery_id: string;
  at: number;
  status_code: number | null;
  duration_ms: number;
  error: string | null;
}

/** Count of each score 0–10 (`s0` … `s10`) in a rollup row. */
export interface ScoreCountColumns {
  s0: number;
  s1: number;
  s2: number;
  s3: number;
  s4: number;
  s5: number;
  s6: number;
  s7: number;
  s8: number;
  s9: number;
  s10: number;
}

/** The score columns of a rollup row, in score order. */
export const SCORE_COLUMNS = [
  's0',
  's1',
  's2',
  's3',
  's4',
  's5',
  's6',
  's7',
  's8',
  's9',
  's10',
] as const satisfies ReadonlyArray<keyof ScoreCountColumns>;

/**
 * Answers per organisation × local day × survey × channel × segment ('' for none), kept by the
 * analytics module's `response.saved` subscriber and rebuildable from the answers.
 */
export interface RollupNpsDailyTable extends ScoreCountColumns {
  organisation_id: string;
  /** Local midnight (Europe/Amsterdam) starting the day, ms. */
  day: number;
  survey_id: string;
  channel: ResponseChannel;
  segment: string;
  /**
   * One answer transaction writes one shard (migrations 0024, 0058: on PostgreSQL the lowest no
   * running transaction holds; 0 on SQLite); readers sum over shards.
   */
  shard: number;
}

/** Answers per organisation × local day × account manager (the owner snapshot). */
export interface RollupNpsEmployeeDailyTable extends ScoreCountColumns {
  organisation_id: string;
  day: number;
  employee_id: string;
  /** As in `rollup_nps_daily`. */
  shard: number;
}

/**
 * Answers per organisation × local week × account manager (migration 0042): the weekly grain of
 * `rollup_nps_employee_daily`, so a breakdown per account manager over months sums weeks.
 */
export interface RollupNpsEmployeeWeeklyTable extends ScoreCountColumns {
  organisation_id: string;
  /** Local midnight (Europe/Amsterdam) starting the week's Monday, ms. */
  week: number;
  employee_id: string;
  /** As in `rollup_nps_daily`. */
  shard: number;
}

/**
 * The response funnel per organisation × hour (UTC) of the planned moment × survey (migration
 * 0043), kept by triggers on `invitations`; cancelled and skipped invitations are not counted.
 */
export interface RollupInvitationFunnelTable {
  organisation_id: string;
  /** The whole hour (ms since the epoch, UTC) in which the invitations were planned. */
  hour: number;
  survey_id: string;
  /** As in `rollup_nps_daily` (claimed by the triggers). Readers sum over shards. */
  shard: number;
  invited: number;
  sent: number;
  outbox: number;
  bounced: number;
  clicked: number;
  answered: number;
  answered_delivered: number;
}

/** Score counts per organisation × local day × location (migration 0036), striped like the rest. */
export interface RollupNpsLocationDailyTable extends ScoreCountColumns {
  organisation_id: string;
  day: number;
  location_id: string;
  /** As in `rollup_nps_daily`. */
  shard: number;
}

// ---- From promoter to ambassador (migration 0011) ----

export interface ReferralProgrammeTable {
  organisation_id: string;
  enabled: number;
  /** JSON text: the offer, rewards, hold and fraud settings (`ambassadors/programme-settings.ts`). */
  settings: string;
  /** Secret address of the counter's redeem screen (`/k/:token`). */
  counter_token: string;
  created_at: number;
  updated_at: number;
}

export type AmbassadorStatus = 'active' | 'paused' | 'removed';

export interface AmbassadorTable {
  id: string;
  organisation_id: string;
  contact_id: string;
  status: AmbassadorStatus;
  /** The ambassador's own page (`/a/:token`), from the programme email. */
  share_token: string;
  /** The link they share with friends (`/f/:token`). */
  link_token: string;
  /** Short code to mention at the counter (Crockford base 32 with a check character). */
  code: string;
  /** Consent to show their name on the friend's page ("Jan de Vries raadt … aan"). */
  show_name: number;
  consent_text: string;
  /** `survey` (the opt-in on the response page) or `staff` (added by hand). */
  consent_source: 'survey' | 'staff';
  consent_at: number;
  consent_user_id: string | null;
  consent_note: string | null;
  response_id: string | null;
  referred_by_ambassador_id: string | null;
  invited_at: number | null;
  /** No more programme emails (one-click unsubscribe). */
  unsubscribed_at: number | null;
  friend_page_views: number;
  removed_at: number | null;
  created_at: number;
  updated_at: number;
}

export type ReferralStatus = 'lead' | 'contacted' | 'converted' | 'lost';

export interface ReferralTable {
  id: string;
  organisation_id: string;
  ambassador_id: string;
  /** `link` (the friend's page), `staff` (entered with the ambassador's code). */
  source: 'link' | 'staff';
  status: ReferralStatus;
  friend_name: string | null;
  friend_email: string | null;
  friend_phone: string | null;
  friend_email_key: string | null;
  friend_phone_key: string | null;
  locale: Locale;
  consent_text: string;
  consent_at: number;
  verdict: 'eligible' | 'review' | 'ineligible';
  /** JSON text: the fraud findings (`domain/referrals/fraud-rules.ts`). */
  findings: string;
  contact_id: string | null;
  converted_at: number | null;
  conversion_ref: string | null;
  conversion_amount_cents: number | null;
  conversion_cancelled_at: number | null;
  erased_at: number | null;
  created_at: number;
  updated_at: number;
}

export interface RewardTable {
  id: string;
  organisation_id: string;
  referral_id: string;
  ambassador_id: string;
  recipient: 'ambassador' | 'friend';
  reason: 'conversion' | 'welcome' | 'milestone';
  milestone: number | null;
  kind: 'voucher' | 'discount' | 'gift';
  description: string;
  cost_cents: number;
  valid_months: number | null;
  status: 'pending' | 'review' | 'issued' | 'redeemed' | 'expired' | 'voided';
  code: string;
  token: string;
  hold_until: number | null;
  issued_at: number | null;
  valid_until: number | null;
  redeemed_at: number | null;
  redeemed_via: string | null;
  voided_at: number | null;
  void_reason: string | null;
  review_note: string | null;
  reviewed_by: string | null;
  created_at: number;
  updated_at: number;
}

export interface CodeMissTable {
  id: string;
  organisation_id: string;
  address_hash: string;
  created_at: number;
}

export interface AmbassadorTaskTable {
  id: string;
  organisation_id: string;
  ambassador_id: string;
  /** `welcome` (a new ambassador) or `referral` (brought a friend): thank them. */
  kind: 'welcome' | 'referral';
  /** The referral for `referral` tasks; '' for `welcome` (so the unique index holds on both dialects). */
  referral_id: string;
  done_at: number | null;
  done_by: string | null;
  created_at: number;
}

/** What happened to a visit's invitation under the visit trigger (migration 0010). */
export type VisitInvitationStatus = 'planned' | 'invited' | 'skipped';

/** A visit or purchase (migration 0010): a workshop job, an order, an invoice, a refund. */
export interface VisitTable {
  id: string;
  organisation_id: string;
  contact_id: string;
  /** The source system's number (work order, invoice): the idempotency key of imports and API. */
  external_id: string | null;
  visited_at: number;
  kind: string | null;
  /** Folded kind (`kindKey`), what triggers and fixed intervals match on. */
  kind_key: string | null;
  location: string | null;
  /** Integer cents; negative only for a refund. */
  amount_cents: number;
  status: 'completed' | 'cancelled' | 'refund';
  source: 'api' | 'import' | 'manual';
  invitation_status: VisitInvitationStatus | null;
  invitation_id: string | null;
  /** Why the visit led to no invitation (a contact-rule or trigger code). */
  skip_reason: string | null;
  /** The reason as explained when decided, in the organisation's language. */
  skip_detail: string | null;
  created_at: number;
  updated_at: number;
}

/** "Invite N days after a visit of kind X", one per organisation (migration 0010). */
export interface VisitTriggerTable {
  organisation_id: string;
  survey_id: string;
  enabled: number;
  /** JSON array of kind keys; empty means every kind. */
  kinds: string;
  delay_days: number;
  send_at_minute: number;
  updated_at: number;
}

/** The stored answer to a request with an Idempotency-Key (migration 0010). */
/** One-way fingerprints of an erased customer's identifiers (`domain/privacy/erased-identifiers.ts`). */
export interface ErasedIdentifierTable {
  organisation_id: string;
  fingerprint: string;
  contact_id: string;
  erased_at: number;
}

export interface VisitRequestKeyTable {
  organisation_id: string;
  key: string;
  status_code: number;
  response: string;
  created_at: number;
}

/**
 * A task for an account manager from the loyalty module (migration 0023): `lapsed_promoter` — a
 * promoter who did not return within their usual interval. One per contact per interval (`due_at`).
 */
export interface LoyaltyTaskTable {
  id: string;
  organisation_id: string;
  contact_id: string;
  kind: 'lapsed_promoter';
  owner_employee_id: string | null;
  /** The promoter's latest score. */
  score: number | null;
  last_visit_at: number;
  /** The usual interval (or a kind's fixed one, APK: 365) the return was expected within. */
  interval_days: number;
  /** When the customer was expected back: last visit + interval. */
  due_at: number;
  done_at: number | null;
  done_by: string | null;
  created_at: number;
}

/**
 * What the loyalty report needs per contact, kept in the transaction of every visit, answer and
 * sent invitation (loyalty module). The origin is the latest answer or, for a contact who never
 * answered, the latest invitation a mail server accepted (`non_respondent`); null: neither.
 */
/**
 * Earned growth's sums per organisation and local calendar month (migration 0054), kept by the
 * loyalty module's `visit.recorded` subscriber.
 */
export interface LoyaltyRevenueMonthTable {
  organisation_id: string;
  /** The instant the month starts: local midnight (Europe/Amsterdam) of its first day. */
  month_start: number;
  /** Visits not cancelled in the month (refunds subtract), in cents. */
  revenue_cents: number;
  /** The part from customers whose first completed visit is not before the month's start. */
  new_revenue_cents: number;
  updated_at: number;
}

export interface LoyaltyContactFactsTable {
  organisation_id: string;
  contact_id: string;
  origin_at: number | null;
  category: 'promoter' | 'passive' | 'detractor' | 'non_respondent' | null;
  score: number | null;
  /** The first completed visit after the origin. */
  next_visit_at: number | null;
  /** Completed visits in the year up to and including the origin. */
  prior_visits: number;
  /** Visits not cancelled in the year after the origin (refunds subtract), in cents. */
  revenue_after_cents: number;
  /** First and last completed visit, ever. */
  first_visit_at: number | null;
  last_visit_at: number | null;
  /** Completed visits, ever. */
  visits: number;
  /** Visits not cancelled, ever (refunds subtract), in cents. */
  revenue_cents: number;
  updated_at: number;
}

/** A location (vestiging) of the organisation: a branch answers can be broken down by. */
export interface LocationTable {
  id: string;
  organisation_id: string;
  name: string;
  /** Lower-case, accent-free name, unique per organisation. */
  name_key: string;
  archived_at: number | null;
  created_at: number;
  updated_at: number;
}

/** Where an organisation asks its customers for a review (issue 12); one row per organisation. */
export interface ReviewSettingsTable {
  organisation_id: string;
  /** JSON text: `[{ kind, url, label }]` (`domain/reviews/review-sites.ts`). */
  sites: string;
  /** 1: the thank-you page asks respondents who agreed to be contacted. */
  ask_on_thanks: number;
  /** Hours after an answer when the review email goes; null: no email (migration 0031). */
  email_after_hours: number | null;
  updated_at: number;
}

/** A review-request email for one answer (migration 0031); at most one per answer. */
export interface ReviewRequestTable {
  id: string;
  organisation_id: string;
  contact_id: string;
  /** Cleared by retention once the answer is past the organisation's retention period. */
  response_id: string | null;
  /** Credential of the one-click unsubscribe from review requests (256 bits, URL-safe). */
  token: string;
  message_id: string;
  created_at: number;
  /** When a mail server took it; null while queued or kept in the local outbox. */
  sent_at: number | null;
  /** The contact asked for no more review requests through this email's link. */
  unsubscribed_at: number | null;
}

/** A "celebrate" or "attention" note: a subject's NPS really changed between two months. */
export interface NotificationTable {
  id: string;
  organisation_id: string;
  kind: 'celebrate' | 'attention';
  subject_kind: 'employee' | 'team';
  /** The employee's id, or the team's name. */
  subject_key: string;
  /** The month judged, `2026-10`. */
  period: string;
  period_from: number;
  period_to: number;
  previous_from: number;
  answers_before: number;
  answers_after: number;
  /** Shrunk NPS (points) of the month before and the month judged. */
  nps_before: number;
  nps_after: number;
  probability_of_rise: number;
  created_at: number;
}

/** That a reader (a user, or an API key) has read a notification. */
export interface NotificationReadTable {
  organisation_id: string;
  notification_id: string;
  reader_id: string;
  read_at: number;
}
