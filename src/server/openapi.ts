import { z } from 'zod';

import type { Operation, RouteEntry } from '../platform/http/operation.ts';

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    io: 'input',
    unrepresentable: 'any',
  }) as Record<string, unknown>;
  return rest;
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
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: {
          type: 'string',
          description: 'Stable error code, e.g. validation_failed, not_found',
        },
        message: { type: 'string', description: 'Translated message (Accept-Language: nl or en)' },
        fields: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              field: { type: 'string' },
              problem: { type: 'string' },
              message: { type: 'string' },
            },
          },
        },
      },
    },
  },
};

/**
 * The OpenAPI 3.1 document of `/api/v1` and the public answer endpoints, built from the
 * descriptions the routes carry (`describe()` beside each route), which use the same Zod schemas
 * the routes validate with — so the description cannot drift from the validation.
 * `test/api/openapi.test.ts` fails when a registered API route has no description.
 */
export function buildOpenApiDocument(routes: readonly RouteEntry[], publicUrl: string) {
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
        [status]: {
          description: 'Success',
          ...(op.produces ? { content: { [op.produces]: {} } } : {}),
        },
        '4XX': {
          description: 'Client error',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Loyaal API',
      version: '1',
      description:
        'REST API of Loyaal. Authenticate with `Authorization: Bearer lyl_…` (API keys are created in the admin app). Lists page with `limit` and the opaque `nextCursor`.',
    },
    servers: [{ url: publicUrl }],
    security: [{ apiKey: [] }, { session: [] }],
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
