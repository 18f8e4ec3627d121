import type { FastifyInstance } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../config.ts';
import type { Db, Executor } from '../db/database.ts';
import type { Replica } from '../db/replica.ts';
import type { Metrics } from './metrics.ts';

/**
 * The module contract: every type a feature module and the platform's runtime share, in one file.
 * They refer to each other (a job handler gets `Deps`, `Deps` carries the platform, the platform
 * holds job handlers), so they live together and no two platform files import each other in a
 * circle. The functions that build these values are beside their runtime: `defineModule`,
 * `defineJob`/`handleJob`/`enqueue`, `defineEvent`/`inTransaction`/`afterCommit`/`emit`,
 * `buildPlatform`.
 */

// ---- Dependencies ----

/** What every route and job needs, passed explicitly: no module-level singletons. */
export interface Deps {
  db: Db;
  config: Config;
  /** Current time in ms; tests pass a fixed clock. */
  now: () => number;
  /** What the modules declared: job handlers, event subscribers, personal-data holders, … */
  platform: Platform;
  /** Prometheus metrics of this process, when it exposes them (`METRICS_TOKEN`). */
  metrics?: Metrics;
  /** The streaming replica for dashboards and exports (`DATABASE_REPLICA_URL`), when there is one. */
  replica?: Replica;
}

// ---- Modules ----

/** A command of the `loyaal` CLI contributed by a module (import, demo, …). */
export interface CliCommand {
  name: string;
  /** One or two lines for `loyaal help`, starting with the command and its options. */
  help: string;
  /** `platform`: what the modules declared, for a command whose writes emit events. */
  run(args: string[], config: Config, platform: Platform): Promise<number>;
}

/**
 * Work that comes due on the clock rather than because something happened: the daily retention
 * run, digests, escalations. However many workers run, each due moment is enqueued once (the job's
 * dedupe key is the schedule's name and the moment) and so runs once.
 */
export interface Schedule {
  name: string;
  /** Runs once a day at this local time in Europe/Amsterdam (`HH:MM`). */
  dailyAt: string;
  /**
   * Only on this ISO weekday (1 Monday … 7 Sunday), local: a weekly schedule (the Monday digest).
   * Every day when omitted. The due moment's key stays the local date, so it is enqueued once.
   */
  weekday?: number;
  job: JobType<Record<string, never>>;
}

export type RouteRegistrar = (app: FastifyInstance, deps: Deps) => Promise<void> | void;

/**
 * What a feature module declares, in one place (its `index.ts`): the server, the worker, the CLI
 * and the privacy service read the list of modules in `src/modules/index.ts` and nothing else, so
 * adding a capability is adding a module to that list — not editing the code it reacts to.
 */
export interface LoyaalModule {
  name: string;
  /** JSON routes (the staff API under /api/v1), each described with `describe()`. */
  routes?: RouteRegistrar;
  /**
   * Server-rendered public pages (respondents, ambassadors, friends). Registered inside the
   * public-page kit's scope: friendly error pages in the visitor's language, nonce CSP, no staff
   * session involved.
   */
  publicRoutes?: RouteRegistrar;
  /** Handlers of the module's background jobs. */
  jobs?: readonly JobHandler<unknown>[];
  /** Reactions to other modules' events (or its own). */
  subscribers?: readonly Subscriber<unknown>[];
  schedules?: readonly Schedule[];
  personalData?: readonly PersonalDataHolder[];
  commands?: readonly CliCommand[];
  /**
   * What the module adds to another module's output through a slot (a block on the thank-you
   * page): the owner of the slot asks the platform for its contributions and imports no
   * contributor.
   */
  contributions?: readonly SlotContribution<unknown, unknown>[];
}

/**
 * Everything the modules declared, indexed for the code that runs it: the worker looks up job
 * handlers, `emit` finds the subscribers of an event, the privacy service walks the personal-data
 * holders, the CLI lists commands. Built once at start from the module list and passed in `Deps`,
 * so no module imports the list (which imports every module) and nothing registers itself by
 * being imported.
 */
export interface Platform {
  readonly modules: readonly LoyaalModule[];
  jobHandler(type: string): JobHandler<unknown> | undefined;
  subscribersOf(eventName: string): readonly Subscriber<unknown>[];
  /** In the order export and erasure run them: by `order`, then by module-list order. */
  readonly personalData: readonly PersonalDataHolder[];
  readonly commands: readonly CliCommand[];
  readonly schedules: readonly Schedule[];
  /** The contributions to a slot, in module-list order. */
  contributionsTo(slotName: string): readonly SlotContribution<unknown, unknown>[];
}

// ---- Jobs ----

/** What a job did, in words for the job table: `success` or `skipped` with a reason. */
export interface JobResult {
  status: 'success' | 'skipped';
  detail?: string;
}

/**
 * A kind of background job: its type name, the shape of its payload and how often it may be tried.
 * A declaration only — it imports no handler — so the service that enqueues a job and the handler
 * that runs it can import it without importing each other. The module that owns the job binds the
 * handler in its `defineModule({ jobs: [handleJob(theJob, { run, onFailed })] })`.
 */
export interface JobType<P> {
  readonly type: string;
  readonly payload: z.ZodType<P>;
  readonly maxAttempts: number;
  /** Delay before attempt `attempt + 1` after attempt `attempt` failed (1-based). */
  readonly retryDelayMs: (attempt: number) => number;
}

/** What a handler gets besides its payload: the dependencies and where this run stands. */
export interface JobContext extends Deps {
  /** The organisation the job was enqueued for (from the job row, never from the payload). */
  organisationId: string | null;
  jobId: string;
  /** 1 on the first run. */
  attempt: number;
  maxAttempts: number;
  /**
   * When the job runs again if this attempt fails (the job's back-off from `now`); null on its last
   * attempt. Lets a mail job show its next attempt in the outbox.
   */
  retryAt?: (now: number) => number | null;
}

export interface JobHandler<P = unknown> {
  readonly job: JobType<P>;
  run(payload: P, ctx: JobContext): Promise<JobResult>;
  /**
   * Called once when the job has failed for good: its last attempt threw, or its worker died
   * during the last attempt. Puts the subject in a state a person can see (an import "failed").
   */
  onFailed?(payload: P, ctx: JobContext, error: string): Promise<void>;
  /**
   * Runs several due jobs of this type for one organisation in one go (a send's invitations: one
   * transaction to compose them, one to mark them sent). The worker claims up to `size` of them
   * into one slot. Each job keeps its own attempts, back-off and outcome: `run` returns one outcome
   * per item, in order, and an item's `error` fails that job alone. Jobs with a group key always
   * run on their own.
   */
  readonly batch?: {
    readonly size: number;
    run(items: readonly JobBatchItem<P>[]): Promise<readonly JobOutcome[]>;
  };
}

/** One job of a batch: its payload and its own context (attempt, job id). */
export interface JobBatchItem<P> {
  readonly payload: P;
  readonly ctx: JobContext;
}

/** What one job of a batch came to: a result, or the error its attempt failed with. */
export type JobOutcome =
  | { readonly ok: true; readonly result: JobResult }
  | { readonly ok: false; readonly error: unknown };

// ---- Events ----

/**
 * A domain event: something that happened, named in the past tense (`response.saved`), with the
 * facts a subscriber needs. Declared by the module where it happens; other modules subscribe to it
 * in their `defineModule({ subscribers })`, so the code that emits never changes when a capability
 * is added.
 */
export interface EventType<D> {
  readonly name: string;
  readonly data: z.ZodType<D>;
}

/** One occurrence of an event, as a subscriber receives it. */
export interface EventEnvelope<D> {
  /** Unique per occurrence; a subscriber that must act once per event keys on it. */
  id: string;
  name: string;
  organisationId: string;
  occurredAt: number;
  data: D;
}

/** What an in-transaction subscriber gets besides the events. */
export interface TransactionContext {
  deps: Deps;
  now: number;
}

/**
 * Runs inside the transaction that emits the event, with every event of that transaction at once
 * (the answer writer commits answers in groups): its writes commit or roll back with the cause.
 * For what must be true the moment the answer is (a case for a detractor, a rollup row). A throw
 * rolls the cause back, so keep these small and certain; everything that talks to the outside
 * world is a job subscriber.
 */
export interface TransactionSubscriber<D> {
  readonly kind: 'transaction';
  readonly name: string;
  readonly event: EventType<D>;
  handle(
    trx: Executor,
    events: readonly EventEnvelope<D>[],
    ctx: TransactionContext,
  ): Promise<void>;
}

/**
 * Runs after commit, as a job of its own per event (type `event:<name>`), so a failing subscriber
 * is retried alone and never blocks another. For webhooks, emails, anything slow or fallible.
 */
export interface JobSubscriber<D> {
  readonly kind: 'job';
  readonly name: string;
  readonly event: EventType<D>;
  readonly maxAttempts: number;
  readonly retryDelayMs?: (attempt: number) => number;
  run(event: EventEnvelope<D>, ctx: JobContext): Promise<JobResult>;
}

/**
 * Runs inside the emitting transaction like a `TransactionSubscriber`, but once for a whole cascade
 * of events: when an `emit` finishes, together with every `emit` its subscribers made meanwhile
 * (an answer batch's `response.saved` and the `case.opened` and `case.updated` the cases
 * subscriber emitted for it), it gets all their occurrences of `events` at once, in the order they
 * were emitted — a cause before its consequence. For writes that cost per statement rather than
 * per event (the webhook fan-out: one delivery insert and one job insert for the lot). Sequential
 * emits in one transaction are separate cascades.
 */
export interface GatheredSubscriber {
  readonly kind: 'gathered';
  readonly name: string;
  readonly events: readonly EventType<unknown>[];
  handle(
    trx: Executor,
    events: readonly EventEnvelope<unknown>[],
    ctx: TransactionContext,
  ): Promise<void>;
}

export type Subscriber<D = unknown> =
  TransactionSubscriber<D> | JobSubscriber<D> | GatheredSubscriber;

// ---- Slots ----

/**
 * A place in one module's output that other modules fill: the thank-you page's blocks (the
 * ambassador programme's next step, the review request). Declared by the module that renders it
 * (`defineSlot`) with what a contribution gets (`I`) and gives back (`O`); a module contributes in
 * its `defineModule({ contributions })`, so the owner never imports a contributor.
 */
export interface SlotType<I, O> {
  readonly name: string;
  /** Carries the types only; never set. */
  readonly types?: { input: I; output: O };
}

/** One module's part in a slot: its answer for one input, or null for "nothing to add". */
export interface SlotContribution<I, O> {
  readonly slot: SlotType<I, O>;
  /** Unique across modules, e.g. `ambassadors.next-step`. */
  readonly name: string;
  contribute(input: I, deps: Deps): Promise<O | null>;
}

// ---- Personal data ----

/** What the daily retention run asks of a holder. */
export interface RetentionPolicy {
  now: number;
  /** Personal data from before this moment is anonymised: now minus the retention period. */
  cutoff: number;
  /** At most this many rows per kind in one call (short transactions on a busy database). */
  limit: number;
}

/** What a holder did in one retention call, counted by kind. */
export type RetentionCounts = Readonly<Record<string, number>>;

/**
 * A module that stores personal data about a contact declares a holder in its `defineModule`, so
 * export and erasure (AVG/GDPR art. 15, 17, 20) cover every table, including the ones later
 * modules add.
 */
export interface PersonalDataHolder {
  /** Section name in the export, e.g. `contact`, `consentEvents`, `responses`. */
  name: string;
  export(db: Executor, organisationId: string, contactId: string): Promise<unknown>;
  /** Removes or anonymises the personal data; aggregate figures (scores, counts) stay. */
  erase(db: Executor, organisationId: string, contactId: string, now: number): Promise<void>;
  /**
   * Storage limitation: anonymises or deletes at most `policy.limit` rows per kind of what the
   * organisation no longer needs to keep, and says how many, by kind (`{ anonymisedResponses: 12 }`).
   * The daily retention job calls it again until every holder reports nothing left.
   */
  retain?(db: Executor, organisationId: string, policy: RetentionPolicy): Promise<RetentionCounts>;
  /**
   * When this holder runs, lower first; holders of equal order run in module-list order. The
   * `contact` holder (0) clears the contact's email and name, so a holder that finds its rows BY
   * that data instead of by contact id (import errors) must run before it, with a negative order.
   */
  order?: number;
}
