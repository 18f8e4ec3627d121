import { z } from 'zod';
import { totalParam } from '../../platform/http/validation.ts';

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

const locationValue = z.string().trim().min(1).max(100);

/** One decision for a location Loyaal does not know (see location-resolutions.ts). */
export const locationResolutionSchema = z.discriminatedUnion('action', [
  z.strictObject({ value: locationValue, action: z.literal('create') }),
  z.strictObject({
    value: locationValue,
    action: z.literal('link'),
    locationId: z.string().min(1).max(100),
  }),
  z.strictObject({ value: locationValue, action: z.literal('empty') }),
]);

export const resolveLocationsSchema = z.strictObject({
  resolutions: z.array(locationResolutionSchema).min(1).max(500),
});
export type ResolveLocationsInput = z.infer<typeof resolveLocationsSchema>;

// ---- Response schemas (the answers the routes describe in the OpenAPI document) ----

const errorJson = z.object({
  code: z.string(),
  message: z.string(),
  fields: z
    .array(z.object({ field: z.string(), problem: z.string(), message: z.string() }))
    .optional(),
});

const ownerResolutionJson = z.discriminatedUnion('action', [
  z.object({ value: z.string(), action: z.literal('create') }),
  z.object({ value: z.string(), action: z.literal('link'), employeeId: z.string() }),
  z.object({ value: z.string(), action: z.literal('empty') }),
]);

const locationResolutionJson = z.discriminatedUnion('action', [
  z.object({ value: z.string(), action: z.literal('create') }),
  z.object({ value: z.string(), action: z.literal('link'), locationId: z.string() }),
  z.object({ value: z.string(), action: z.literal('empty') }),
]);

/** One import: status, what the upload detected, the mapping, progress counts (imports.presenter.ts). */
export const importJsonSchema = z.object({
  id: z.string(),
  kind: z.enum(['contacts', 'visits']),
  filename: z.string(),
  format: z.enum(['csv', 'xlsx']),
  status: z.enum([
    'uploaded',
    'validating',
    'validated',
    'importing',
    'completed',
    'failed',
    'cancelled',
  ]),
  detected: z.object({
    encoding: z.string().nullable(),
    delimiter: z.string().nullable(),
    headers: z.array(z.string()),
    suggestedMapping: z.record(z.string(), z.string()),
    preview: z.array(z.object({ line: z.number().int(), values: z.array(z.string()) })),
  }),
  mapping: z.record(z.string(), z.string()).nullable(),
  progress: z.object({
    total: z.number().int(),
    processed: z.number().int(),
    valid: z.number().int(),
    rejected: z.number().int(),
    created: z.number().int(),
    updated: z.number().int(),
    withoutEmail: z.number().int(),
  }),
  ownerResolutions: z.array(ownerResolutionJson),
  locationResolutions: z.array(locationResolutionJson),
  options: z.object({ decimal: z.enum(['comma', 'point']).optional() }),
  question: z
    .object({
      kind: z.literal('decimal'),
      status: z.enum(['ambiguous', 'conflict']),
      examples: z.object({
        comma: z.array(z.string()),
        point: z.array(z.string()),
        either: z.array(z.string()),
      }),
    })
    .nullable(),
  error: errorJson.nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

/** One rejected cell: line, field, the user's column, the problem code and its message. */
export const importErrorJsonSchema = z.object({
  line: z.number().int(),
  field: z.string().nullable(),
  column: z.string().nullable(),
  code: z.string(),
  value: z.string().nullable(),
  message: z.string(),
});

export const importFieldsSchema = z.object({
  items: z.array(z.object({ field: z.string(), label: z.string() })),
});

export const unknownOwnersSchema = z.object({
  items: z.array(
    z.object({
      value: z.string(),
      problem: z.enum(['unknown_employee', 'ambiguous_employee']),
      rows: z.number().int(),
    }),
  ),
  complete: z.boolean(),
  resolutions: z.array(ownerResolutionJson),
});

export const unknownLocationsSchema = z.object({
  items: z.array(
    z.object({ value: z.string(), problem: z.enum(['unknown_location']), rows: z.number().int() }),
  ),
  complete: z.boolean(),
  resolutions: z.array(locationResolutionJson),
});
