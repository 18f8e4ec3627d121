import { z } from 'zod';
import { timestamp } from '../../shared/api-schemas.ts';

/** A host name or IP address, without scheme, path or credentials. */
const host = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .refine((v) => /^[A-Za-z0-9.-]+$|^\[[0-9A-Fa-f:.]+\]$/.test(v), {
    params: { problem: 'invalid_host' },
  });

/**
 * The organisation's own mail server. `password`: a string sets it, `null` removes it, leaving it
 * out keeps the stored one (the form never receives the password back, so it cannot resend it).
 */
export const saveMailServerSchema = z.strictObject({
  host,
  port: z.coerce.number().int().min(1).max(65535),
  security: z.enum(['none', 'starttls', 'tls']),
  username: z
    .string()
    .trim()
    .max(254)
    .nullish()
    .transform((v) => (v ? v : null)),
  password: z.string().min(1).max(500).nullable().optional(),
  fromAddress: z.string().trim().max(254).pipe(z.email()),
});
export type SaveMailServerInput = z.infer<typeof saveMailServerSchema>;

const lastTestAt = z
  .object({ at: timestamp, ok: z.boolean() })
  .nullable()
  .describe('The last test mail: when, and whether the server accepted it');

/** Whether mail of the organisation really leaves (GET /mail-server/status). */
export const mailStatusSchema = z.object({
  source: z
    .enum(['organisation', 'installation', 'none', 'demo'])
    .describe("Whose server sends: the organisation's own, the installation's default, none"),
  delivers: z.boolean().describe('false: mail only reaches the local outbox'),
  problem: z.enum(['password_unreadable']).nullable(),
  lastTest: lastTestAt,
});
export type MailStatusJson = z.output<typeof mailStatusSchema>;

/** The last test mail with the server's answer in plain words (GET /mail-server). */
const mailTestSchema = z
  .object({
    at: timestamp,
    ok: z.boolean(),
    source: z.string(),
    reason: z.string().nullable().describe('Stable reason code of a failure, e.g. `auth_failed`'),
    serverReply: z.string().nullable().describe("The server's own words"),
    message: z.string().nullable().describe('What went wrong, in the reader’s language'),
  })
  .nullable();

/** The mail settings screen: the organisation's server (never its password) and the default. */
export const mailSettingsSchema = mailStatusSchema.extend({
  server: z
    .object({
      host: z.string(),
      port: z.number().int(),
      security: z.enum(['none', 'starttls', 'tls']),
      username: z.string().nullable(),
      hasPassword: z.boolean().describe('The password itself is never returned'),
      fromAddress: z.string(),
      updatedAt: timestamp,
    })
    .nullable(),
  installation: z
    .object({ host: z.string(), fromAddress: z.string() })
    .nullable()
    .describe("The installation's default server (SMTP_URL), if any"),
  secretKeyConfigured: z.boolean().describe('Without SECRET_KEY no password can be stored'),
  lastTest: mailTestSchema,
});
export type MailSettingsJson = z.output<typeof mailSettingsSchema>;

/** The answer of a test mail: the server's actual answer in plain words. */
export const mailTestResultSchema = z.object({
  ok: z.boolean(),
  source: z.enum(['organisation', 'installation', 'none']),
  to: z.string(),
  host: z.string().nullable(),
  reason: z.string().nullable().describe('Stable reason code of a failure, e.g. `auth_failed`'),
  serverReply: z
    .string()
    .nullable()
    .describe('The server\'s own words: "250 2.0.0 Ok: queued as 4Xk…" or "535 5.7.8 …"'),
  message: z.string().describe('What happened, in plain words in the reader’s language'),
  testedAt: timestamp,
});
