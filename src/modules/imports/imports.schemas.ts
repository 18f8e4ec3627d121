import { z } from 'zod';
import { totalParam } from '../../shared/validation.ts';

export const listImportsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
  total: totalParam,
});
export type ListImportsInput = z.infer<typeof listImportsSchema>;

/** `?kind=visits` on the upload: what the rows are (contacts by default). */
export const uploadImportQuery = z.strictObject({
  kind: z.enum(['contacts', 'visits']).default('contacts'),
});

export const importFieldsQuery = uploadImportQuery;

export const listImportErrorsSchema = z.strictObject({
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
  total: totalParam,
});
export type ListImportErrorsInput = z.infer<typeof listImportErrorsSchema>;

/**
 * Header → target; headers left out are ignored. The targets depend on the import's kind
 * (contacts: `name` | `email` | … | `attributes.<key>` | `ignore`; visits: `customerNumber` |
 * `visitedAt` | `amount` | … | `ignore`), so the kind checks them (`invalid_value` per header).
 */
export const mappingSchema = z
  .record(z.string().min(1).max(300), z.string().min(1).max(100))
  .refine((m) => Object.keys(m).length <= 300, { params: { problem: 'too_big' } });

/** Answers about the file: `decimal` when its amounts read two ways (see parse-amount.ts). */
export const importOptionsSchema = z.strictObject({
  decimal: z.enum(['comma', 'point']).optional(),
});

export const validateImportSchema = z.strictObject({
  mapping: mappingSchema,
  options: importOptionsSchema.optional(),
});
export type ValidateImportInput = z.infer<typeof validateImportSchema>;

/**
 * `valid_only` imports the rows that passed validation; `nothing` cancels the import. Without a
 * mode, a file with rejected rows is refused (`import_has_errors`), so nobody imports a partial
 * file without having chosen to.
 */
export const commitImportSchema = z.strictObject({
  mode: z.enum(['valid_only', 'nothing']).optional(),
});
export type CommitImportInput = z.infer<typeof commitImportSchema>;
export type CommitMode = NonNullable<CommitImportInput['mode']>;

const ownerValue = z.string().trim().min(1).max(254);

/** One decision for an account manager Loyaal does not know (see owner-resolutions.ts). */
export const ownerResolutionSchema = z.discriminatedUnion('action', [
  z.strictObject({ value: ownerValue, action: z.literal('create') }),
  z.strictObject({
    value: ownerValue,
    action: z.literal('link'),
    employeeId: z.string().min(1).max(100),
  }),
  z.strictObject({ value: ownerValue, action: z.literal('empty') }),
]);

export const resolveOwnersSchema = z.strictObject({
  resolutions: z.array(ownerResolutionSchema).min(1).max(500),
});
export type ResolveOwnersInput = z.infer<typeof resolveOwnersSchema>;
