// The OpenAPI 3.1 document, generated from ENDPOINTS and the zod schemas (z.toJSONSchema, JSON Schema 2020-12).
import { z } from 'zod';
import { ENDPOINTS, type Endpoint, type Parameter } from './endpoints.ts';
import { apiSchemas } from './schemas/common.ts';

export type JsonSchema = Record<string, unknown>;

export const COMPONENT_PREFIX = '#/components/schemas/';

/** Fastify's /a/:b/c becomes OpenAPI's /a/{b}/c. */
export function openApiPath(route: string): string {
  return route.replace(/:([A-Za-z_]\w*)/g, '{$1}');
}

/** zod writes the safe-integer bounds on every integer: they say nothing to a reader, so they go. */
function withoutSafeIntegerBounds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutSafeIntegerBounds);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if ((key === 'minimum' && v === Number.MIN_SAFE_INTEGER) || (key === 'maximum' && v === Number.MAX_SAFE_INTEGER)) continue;
    out[key] = withoutSafeIntegerBounds(v);
  }
  return out;
}

/** Every registered schema as an OpenAPI component, referring to each other by $ref. */
export function componentSchemas(): Record<string, JsonSchema> {
  const { schemas } = z.toJSONSchema(apiSchemas, { uri: (id) => `${COMPONENT_PREFIX}${id}` });
  const out: Record<string, JsonSchema> = {};
  for (const [id, schema] of Object.entries(schemas)) {
    const { $schema: _s, $id: _i, ...rest } = schema as JsonSchema;
    out[id] = withoutSafeIntegerBounds(rest) as JsonSchema;
  }
  return out;
}

export function componentId(schema: z.ZodType): string {
  const meta = apiSchemas.get(schema);
  if (!meta) throw new Error('An endpoint response must be a registered component (schemas/common.ts component())');
  return meta.id;
}

function parameterSchema(p: Parameter): JsonSchema {
  const { $schema: _s, ...raw } = z.toJSONSchema(p.schema, { io: 'input' }) as JsonSchema;
  const schema = withoutSafeIntegerBounds(raw) as JsonSchema;
  return p.repeatable ? { type: 'array', items: schema } : schema;
}

function parameter(p: Parameter, where: 'path' | 'query') {
  const schema = parameterSchema(p);
  const example = p.example !== undefined && schema.type === 'integer' ? Number(p.example) : p.example;
  return {
    name: p.name,
    in: where,
    required: where === 'path',
    description: p.description,
    schema,
    ...(p.repeatable ? { style: 'form', explode: true } : {}),
    ...(example !== undefined ? { example } : {}),
  };
}

const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}Error` } } } });

const cachingHeaders = {
  ETag: { description: 'A strong validator of the body: send it back in If-None-Match to get a 304', schema: { type: 'string' } },
  'Cache-Control': { description: 'public, max-age=60', schema: { type: 'string' } },
  'Access-Control-Allow-Origin': { description: 'Always *: any site may read the open API', schema: { type: 'string' } },
};

function operation(e: Endpoint) {
  const responses: Record<string, unknown> = {
    200: { description: 'OK', headers: cachingHeaders, content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}${componentId(e.response)}` } } } },
    304: { description: 'Not modified: the ETag sent in If-None-Match still matches' },
  };
  const errors = new Set<number>([...e.errors, 400]);
  if (errors.has(400)) responses[400] = errorResponse('The query string has a problem (the message says which parameter and why)');
  if (errors.has(404)) responses[404] = errorResponse('Nothing has that identifier');
  if (e.gone) responses[410] = { description: 'Gone: it was withdrawn', content: { 'application/json': { schema: { $ref: `${COMPONENT_PREFIX}${componentId(e.gone)}` } } } };
  responses[405] = errorResponse('The open API is read-only: only GET, HEAD and OPTIONS are allowed');
  return {
    operationId: e.operationId,
    tags: [e.tag],
    summary: e.summary,
    description: e.description,
    parameters: [...(e.pathParams ?? []).map((p) => parameter(p, 'path')), ...(e.query ?? []).map((p) => parameter(p, 'query'))],
    responses,
  };
}

export function buildOpenApiDocument(options: { publicUrl: string; siteName: string }) {
  const paths: Record<string, { get: ReturnType<typeof operation> }> = {};
  for (const e of ENDPOINTS) paths[openApiPath(e.route)] = { get: operation(e) };
  return {
    openapi: '3.1.0',
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    info: {
      title: `${options.siteName} open API`,
      version: '1.0.0',
      description:
        'Read-only access to the public record: questions and answers, members, party groups, topics, answering bodies and meetings. ' +
        'No key is needed. Every response carries an ETag (send If-None-Match for a 304) and may be read from any origin (CORS). ' +
        'Errors are always { "error": { "code", "message" } }. Field names are stable: new fields may be added in a new version.',
    },
    servers: [{ url: options.publicUrl || '/' }],
    tags: [...new Set(ENDPOINTS.map((e) => e.tag))].map((name) => ({ name })),
    paths,
    components: { schemas: componentSchemas() },
  };
}

export type OpenApiDocument = ReturnType<typeof buildOpenApiDocument>;
