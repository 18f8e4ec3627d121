import { z } from 'zod';
import { PUBLIC_TEXT_MAX, TOKEN_PATTERN } from '../public-pages/public-replies.ts';

/** Longest comment we store; the textarea says so and a longer one is rejected whole. */
export const MAX_COMMENT_LENGTH = PUBLIC_TEXT_MAX;

/** Personal and anonymous link tokens: URL-safe base64, as `newToken()` makes them. */
export { TOKEN_PATTERN };

/** What a respondent answered, after validation: the one shape the service and writer accept. */
export interface AnswerInput {
  score: number;
  comment: string | null;
  employeeScore: number | null;
  mayContact: boolean;
  ambassadorOptIn: boolean;
}

/**
 * A browser sends each line break of a textarea as CRLF, but its `maxlength` counts it as one
 * character: the length is checked after CRLF became LF, so what the field accepted is accepted.
 */
const comment = z
  .string()
  .transform((v) => v.replace(/\r\n/g, '\n'))
  .pipe(z.string().max(MAX_COMMENT_LENGTH))
  .transform((v) => {
    const trimmed = v.trim();
    return trimmed === '' ? null : trimmed;
  });

const SCORE_STRINGS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9', '10'] as const;
/** A form field carries text: exactly "0".."10" (no "7.5", "07", " 9" or "-1"). */
const scoreString = z.enum(SCORE_STRINGS).transform(Number);
const integerScore = z.number().int().min(0).max(10);

/**
 * `POST /r/:token` with `application/json`: the page's script sends `{ score }` the moment the page
 * opens (one click in the email records the score); API clients may send the whole answer. Only a
 * JSON integer counts as a score: `"9"`, `7.5`, `11` and `-1` are rejected.
 */
export const jsonAnswerSchema = z.strictObject({
  score: integerScore,
  comment: comment.nullish(),
  employeeScore: integerScore.nullish(),
  mayContact: z.boolean().optional(),
  ambassadorOptIn: z.boolean().optional(),
});
export type JsonAnswer = z.infer<typeof jsonAnswerSchema>;

/** True when a JSON answer carries more than the score, so it replaces the whole answer. */
export const isFullJsonAnswer = (a: JsonAnswer): boolean =>
  a.comment !== undefined ||
  a.employeeScore !== undefined ||
  a.mayContact !== undefined ||
  a.ambassadorOptIn !== undefined;

export function answerFromJson(a: JsonAnswer): AnswerInput {
  return {
    score: a.score,
    comment: a.comment ?? null,
    employeeScore: a.employeeScore ?? null,
    mayContact: a.mayContact ?? false,
    ambassadorOptIn: a.ambassadorOptIn ?? false,
  };
}

/**
 * The HTML form, which works without JavaScript (`application/x-www-form-urlencoded`). Unknown
 * fields are ignored; a repeated field arrives as an array and is rejected.
 */
export const formAnswerSchema = z.object({
  score: scoreString,
  comment: comment.optional(),
  employeeScore: z.union([scoreString, z.literal('').transform(() => null)]).optional(),
  mayContact: z.literal('1').optional(),
  ambassadorOptIn: z.literal('1').optional(),
});

export function answerFromForm(a: z.infer<typeof formAnswerSchema>): AnswerInput {
  return {
    score: a.score,
    comment: a.comment ?? null,
    employeeScore: a.employeeScore ?? null,
    mayContact: a.mayContact === '1',
    ambassadorOptIn: a.ambassadorOptIn === '1',
  };
}

/** `?score=N` on the email's links: preselects N when it is exactly "0".."10", else nothing. */
export function scoreFromQuery(value: unknown): number | null {
  const parsed = scoreString.safeParse(value);
  return parsed.success ? parsed.data : null;
}

/** `?v=`: the location an anonymous link or QR poster names; anything else is no location. */
export const locationQuery = z.uuid().optional().catch(undefined);

/** The answer to a JSON `POST /r/:token`: saved, and the category the score falls in. */
export const answerSavedJson = z.object({
  status: z.literal('saved'),
  category: z.enum(['promoter', 'passive', 'detractor']),
});
export type AnswerSavedJson = z.output<typeof answerSavedJson>;
