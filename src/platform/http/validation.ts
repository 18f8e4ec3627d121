import { z } from 'zod';
import { hasMessage } from '../../i18n/messages.ts';
import { AppError, type FieldIssue } from '../../shared/errors.ts';

/** Maps a Zod issue to our stable problem codes, so clients and translations never see Zod's wording. */
function toFieldIssues(issue: z.core.$ZodIssue): FieldIssue[] {
  const field = issue.path.map(String).join('.') || '_';
  // A text left empty where a value was expected reads "… is verplicht", not "ongeldig formaat".
  if (issue.code !== 'custom' && issue.code !== 'unrecognized_keys' && issue.input === '') {
    return [{ field, problem: 'required' }];
  }
  switch (issue.code) {
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({
        field: field === '_' ? k : `${field}.${k}`,
        problem: 'unknown_field',
      }));
    case 'invalid_type':
      return [{ field, problem: issue.input === undefined ? 'required' : 'invalid_type' }];
    case 'too_big':
      return [
        {
          field,
          problem: issue.origin === 'string' ? 'too_long' : 'too_big',
          params: { max: Number(issue.maximum) },
        },
      ];
    case 'too_small':
      return [
        {
          field,
          problem:
            issue.origin === 'string'
              ? Number(issue.minimum) <= 1
                ? 'required'
                : 'too_short'
              : 'too_small',
          params: { min: Number(issue.minimum) },
        },
      ];
    case 'invalid_format':
      return [{ field, problem: issue.format === 'email' ? 'invalid_email' : 'invalid_format' }];
    case 'custom':
      return [
        {
          field,
          problem:
            typeof issue.params?.problem === 'string' ? issue.params.problem : 'invalid_value',
        },
      ];
    default:
      // Schemas may name one of our problem codes as the message (e.g. `invalid_language`).
      return [
        {
          field,
          problem:
            /^[a-z_]+$/.test(issue.message) && hasMessage(`problem.${issue.message}`)
              ? issue.message
              : 'invalid_value',
        },
      ];
  }
}

/** Parses input at the boundary; on failure throws `validation_failed` listing every field. */
export function parseInput<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const result = schema.safeParse(input, { reportInput: true });
  if (result.success) return result.data;
  // One problem per field, the first: "Laatste dag is verplicht" says it all, without "… moet na
  // het begin liggen" about the same empty field.
  const issues = result.error.issues.flatMap(toFieldIssues);
  const first = issues.filter((i, index) => issues.findIndex((j) => j.field === i.field) === index);
  throw new AppError('validation_failed', { issues: first });
}

/** `:id` route parameters: every resource id is a UUID; anything else is a 400, not a lookup. */
export const idParams = z.strictObject({ id: z.uuid() });

const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * An image address shown in emails and on public pages (a logo): `https:`, or `http:` on this
 * machine only (development). Never `javascript:`, `data:` or another scheme a page or a mail
 * client might act on. A wrong one is the problem `https_only`.
 */
export const imageUrlSchema = z
  .string()
  .max(500)
  .refine(
    (value) => {
      try {
        const url = new URL(value);
        return (
          url.protocol === 'https:' || (url.protocol === 'http:' && LOCAL_HOSTS.has(url.hostname))
        );
      } catch {
        return false;
      }
    },
    { params: { problem: 'https_only' } },
  );

/**
 * `?total=true` on a list: the page also carries `total`, every item the filter matches. Counting
 * costs a second query over the filter, so it is asked for, not always done.
 */
export const totalParam = z
  .enum(['true', 'false'])
  .optional()
  .transform((v) => v === 'true')
  .describe('true: the page also carries `total`, the number of items the filter matches');
