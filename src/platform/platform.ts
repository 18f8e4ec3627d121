import { z } from 'zod';
import type {
  EventEnvelope,
  JobHandler,
  LoyaalModule,
  Platform,
  SlotContribution,
  Subscriber,
} from './contract.ts';
import { subscriberJobType } from './events/define-event.ts';
import { defaultRetryDelay } from './jobs/define-job.ts';

/** Indexes what the modules declared; fails fast when two declare the same name. */
export function buildPlatform(modules: readonly LoyaalModule[]): Platform {
  const names = new Set<string>();
  const unique = (kind: string, name: string) => {
    const key = `${kind}:${name}`;
    if (names.has(key)) throw new Error(`Two modules declare the ${kind} "${name}"`);
    names.add(key);
  };
  for (const m of modules) unique('module', m.name);

  const handlers = new Map<string, JobHandler<unknown>>();
  const subscribers = new Map<string, Subscriber<unknown>[]>();
  for (const m of modules) {
    for (const h of m.jobs ?? []) {
      unique('job', h.job.type);
      handlers.set(h.job.type, h);
    }
    for (const s of m.subscribers ?? []) {
      unique('subscriber', s.name);
      for (const event of s.kind === 'gathered' ? s.events : [s.event]) {
        subscribers.set(event.name, [...(subscribers.get(event.name) ?? []), s]);
      }
      if (s.kind === 'job') {
        // An after-commit subscriber runs as a job of its own type, with the event as payload.
        const type = subscriberJobType(s.name);
        const envelope: z.ZodType<EventEnvelope<unknown>> = z.object({
          id: z.string(),
          name: z.literal(s.event.name),
          organisationId: z.string(),
          occurredAt: z.number(),
          data: s.event.data,
        });
        handlers.set(type, {
          job: {
            type,
            payload: envelope,
            maxAttempts: s.maxAttempts,
            retryDelayMs: s.retryDelayMs ?? defaultRetryDelay,
          },
          run: (payload, ctx) => s.run(payload as EventEnvelope<unknown>, ctx),
        });
      }
    }
  }
  const personalData = modules
    .flatMap((m) => m.personalData ?? [])
    .map((holder, index) => ({ holder, index }))
    .sort((a, b) => (a.holder.order ?? 0) - (b.holder.order ?? 0) || a.index - b.index)
    .map((x) => x.holder);
  for (const h of personalData) unique('personal-data holder', h.name);
  const commands = modules.flatMap((m) => m.commands ?? []);
  for (const c of commands) unique('command', c.name);
  const schedules = modules.flatMap((m) => m.schedules ?? []);
  for (const s of schedules) unique('schedule', s.name);
  const contributions = new Map<string, SlotContribution<unknown, unknown>[]>();
  for (const c of modules.flatMap((m) => m.contributions ?? [])) {
    unique('slot contribution', c.name);
    contributions.set(c.slot.name, [...(contributions.get(c.slot.name) ?? []), c]);
  }

  return {
    modules,
    jobHandler: (type) => handlers.get(type),
    subscribersOf: (eventName) => subscribers.get(eventName) ?? [],
    personalData,
    commands,
    schedules,
    contributionsTo: (slotName) => contributions.get(slotName) ?? [],
  };
}

export type { Platform };
