import { z } from 'zod';
import type { RouteEntry } from './app.ts';

/**
 * The OpenAPI 3.1 document of `/api/v1`, built from the same Zod schemas the routes validate with,
 * so the description cannot drift from the validation. `test/api/openapi.test.ts` fails when a
 * registered API route has no operation here.
 */
export interface Operation {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  path: string;
  tag: string;
  summary: string;
  body?: z.ZodType;
  query?: z.ZodType;
  /** No credentials needed (the path carries its own token, or it is setup/login). */
  public?: boolean;
  /** Response media type when not JSON (e.g. `image/svg+xml`, `text/csv`). */
  produces?: string;
  /** Request media type when not JSON (e.g. `multipart/form-data`). */
  consumes?: string;
  status?: number;
}

const operations: Operation[] = [];

/** Feature modules describe their operations here, next to the schemas they validate with. */
export function describeOperations(ops: Operation[]): void {
  for (const op of ops) {
    if (!operations.some((o) => o.method === op.method && o.path === op.path)) operations.push(op);
  }
}

export function describedOperations(): readonly Operation[] {
  return operations;
}

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

export function buildOpenApiDocument(routes: readonly RouteEntry[], publicUrl: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const op of operations) {
    if (!routes.some((r) => r.method === op.method && r.url === op.path)) continue;
    const path = op.path.replace(/:([a-zA-Z]+)/g, '{$1}');
    const pathParams = [...op.path.matchAll(/:([a-zA-Z]+)/g)].map((m) => ({
      name: m[1],
      in: 'path',
      required: true,
      schema: { type: 'string' },
    }));
    const status = String(op.status ?? (op.method === 'POST' ? 201 : 200));
    paths[path] ??= {};
    paths[path][op.method.toLowerCase()] = {
      tags: [op.tag],
      summary: op.summary,
      operationId: `${op.method.toLowerCase()}${path.replace(/[^a-zA-Z0-9]+(.)?/g, (_m, c: string | undefined) => (c ?? '').toUpperCase())}`,
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
