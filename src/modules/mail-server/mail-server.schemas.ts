import { z } from 'zod';

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
