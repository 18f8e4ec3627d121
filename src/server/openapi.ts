import { z } from 'zod';

import type { Operation, RouteEntry } from '../platform/http/operation.ts';
import { statusOf } from '../platform/http/errors.ts';
import type { ErrorCode } from '../shared/errors.ts';

/**
 * A Zod schema as JSON Schema 2020-12 (OpenAPI 3.1's dialect). Requests are described as they are
 * accepted (`input`: defaults optional), responses as they are produced (`output`: every object
 * closed with `additionalProperties: false`, so a field a presenter adds is a drift the response
 * test catches).
 */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output' = 'input'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io,
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
}

/** The error codes an operation may answer, by HTTP status. */
function errorCodes(route: RouteEntry, op: Operation): Map<number, ErrorCode[]> {
  const codes: ErrorCode[] = [
    'validation_failed',
    'invalid_json',
    'internal',
    'database_unavailable',
  ];
  if (!op.public) codes.push('unauthenticated', 'api_key_invalid', 'forbidden', 'csrf_failed');
  if (route.url.includes('/:')) codes.push('not_found');
  if (op.body || op.consumes) codes.push('payload_too_large', 'unsupported_media_type');
  if (route.method !== 'GET') codes.push('storage_full');
  codes.push(...(op.errors ?? []));
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of new Set(codes)) {
    const status = statusOf(code);
    byStatus.set(status, [...(byStatus.get(status) ?? []), code]);
  }
  return new Map([...byStatus].sort(([a], [b]) => a - b));
}

function successResponse(op: Operation, status: number): Record<string, unknown> {
  if (status === 204) return { description: 'Done; no body' };
  if (status === 303) return { description: 'Redirect (`Location`) to the next page' };
  if (op.produces) {
    return { description: 'Success', content: { [op.produces]: { schema: { type: 'string' } } } };
  }
  if (!op.response) return { description: 'Success (body not described)' };
  return {
    description: 'Success',
    content: { 'application/json': { schema: jsonSchema(op.response, 'output') } },
  };
}

function queryParameters(schema: z.ZodType): Record<string, unknown>[] {
  const js = jsonSchema(schema) as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(js.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: js.required?.includes(name) ?? false,
    schema: s,
  }));
}

const errorSchema = {
  type: 'object',
  required: ['error'],
  additionalProperties: false,
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      additionalProperties: false,
      properties: {
        code: {
          type: 'string',
          description: 'Stable error code, e.g. validation_failed, not_found, api_key_invalid',
        },
        message: { type: 'string', description: 'Translated message (Accept-Language: nl or en)' },
        fields: {
          type: 'array',
          description: 'Per-field problems of a request that was refused',
          items: {
            type: 'object',
            required: ['field', 'problem', 'message'],
            additionalProperties: false,
            properties: {
              field: { type: 'string', description: 'Dotted path of the field, e.g. `email`' },
              problem: { type: 'string', description: 'Stable problem code, e.g. `too_long`' },
              message: {
                type: 'string',
                description:
                  'Translated message naming the field by its label, e.g. `Laatste dag ligt in het verleden`',
              },
            },
          },
        },
      },
    },
  },
};

/**
 * One OpenAPI `webhooks` entry per event type: the Standard Webhooks body Loyaal posts (`type`,
 * `timestamp`, `data`), signed with the `webhook-id`, `webhook-timestamp` and `webhook-signature`
 * headers; any 2xx answer acknowledges it.
 */
function webhookDocs(
  webhooks: readonly { type: string; data: z.ZodType }[],
): Record<string, Record<string, unknown>> {
  return Object.fromEntries(
    webhooks.map(({ type, data }) => [
      type,
      {
        post: {
          tags: ['webhooks'],
          summary: `The ${type} event, posted to every endpoint that subscribed to it`,
          operationId: `webhook${type.replace(/(^|\.)(.)/g, (_m, _d: string, c: string) => c.toUpperCase())}`,
          security: [],
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: {
                  type: 'object',
                  required: ['type', 'timestamp', 'data'],
                  properties: {
                    type: { const: type },
                    timestamp: { type: 'string', format: 'date-time' },
                    data: jsonSchema(data, 'output'),
                  },
                  additionalProperties: false,
                },
              },
            },
          },
          responses: { '200': { description: 'Any 2xx status acknowledges the delivery' } },
        },
      },
    ]),
  );
}

const record = z.record(z.string(), z.unknown());

/**
 * The answer of GET /api/v1/openapi.json, as far as a client relies on it: the document's frame.
 * Paths, webhooks and components are OpenAPI objects themselves (see the specification).
 */
export const openApiDocumentSchema = z
  .object({
    openapi: z.literal('3.1.0'),
    info: z.object({ title: z.string(), version: z.string(), description: z.string() }),
    servers: z.array(z.object({ url: z.string() })),
    security: z.array(z.record(z.string(), z.array(z.string()))),
    webhooks: record.optional().describe('Webhook events with their payloads, by event type'),
    components: z.object({ securitySchemes: record, schemas: record }),
    paths: z.record(z.string(), record).describe('Operations by path and method'),
  })
  .describe('An OpenAPI 3.1 document (https://spec.openapis.org/oas/v3.1.1)');
export type OpenApiDocumentJson = z.output<typeof openApiDocumentSchema>;

/**
 * The OpenAPI 3.1 document of `/api/v1` and the public answer endpoints, built from the
 * descriptions the routes carry (`describe()` beside each route), which use the same Zod schemas
 * the routes validate with — so the description cannot drift from the validation.
 * `test/api/openapi.test.ts` fails when a registered API route has no description. `webhooks`
 * describes the bodies Loyaal posts to a webhook endpoint, per event type whose `data` is declared
 * in the webhook catalogue.
 */
export function buildOpenApiDocument(
  routes: readonly RouteEntry[],
  publicUrl: string,
  webhooks: readonly { type: string; data: z.ZodType }[] = [],
): OpenApiDocumentJson {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routes) {
    const op: Operation | undefined = route.operation;
    if (!op) continue;
    const path = route.url.replace(/:([a-zA-Z]+)/g, '{$1}');
    const pathParams = [...route.url.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const status = String(op.status ?? (route.method === 'POST' ? 201 : 200));
    paths[path] ??= {};
    paths[path][route.method.toLowerCase()] = {
      tags: [op.tag],
      summary: op.summary,
      ...(op.description ? { description: op.description } : {}),
      operationId: `${route.method.toLowerCase()}${path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
      ...(op.public ? { security: [] } : {}),
      parameters: [...pathParams, ...(op.query ? queryParameters(op.query) : [])],
      ...(op.body
        ? {
            requestBody: {
              required: true,
              content: { [op.consumes ?? 'application/json']: { schema: jsonSchema(op.body) } },
            },
          }
        : op.consumes
          ? {
              requestBody: {
                required: true,
                content: { [op.consumes]: { schema: { type: 'object' } } },
              },
            }
          : {}),
      responses: {
        [status]: successResponse(op, Number(status)),
        ...(op.alsoStatus ? { [String(op.alsoStatus)]: successResponse(op, op.alsoStatus) } : {}),
        ...Object.fromEntries(
          [...errorCodes(route, op)].map(([errorStatus, codes]) => [
            String(errorStatus),
            {
              description: `Error: ${codes.map((c) => `\`${c}\``).join(', ')}`,
              content: {
                'application/json': { schema: { $ref: '#/components/schemas/Error' } },
              },
            },
          ]),
        ),
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loyaal API',
      version: '1',
      description:
        'REST API of Loyaal. Authenticate with `Authorization: Bearer lyl_…` (API keys are created in the admin app). Lists page with `limit` and the opaque `nextCursor`; `total=true` adds `total`. Errors share one shape (`Error`); a wrong or revoked key is 401 `api_key_invalid`.',
    },
    servers: [{ url: publicUrl }],
    security: [{ apiKey: [] }, { session: [] }],
    ...(webhooks.length ? { webhooks: webhookDocs(webhooks) } : {}),
    components: {
      securitySchemes: {
        apiKey: { type: 'http', scheme: 'bearer', description: 'API key lyl_<prefix>_<secret>' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'loyaal_session',
          description: 'Admin app session; changes need X-CSRF-Token',
        },
      },
      schemas: { Error: errorSchema },
    },
    paths,
  };
}
