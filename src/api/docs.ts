// The /api docs page's content, read from the OpenAPI document itself so the page can never say something else.
import { COMPONENT_PREFIX, type JsonSchema, type OpenApiDocument } from './openapi.ts';

export interface FieldRow {
  name: string;
  type: string;
  description: string;
}

const MAX_DEPTH = 8;

function describeType(schema: JsonSchema): string {
  if (Array.isArray(schema.enum)) return `one of: ${(schema.enum as unknown[]).map(String).join(', ')}`;
  if ('const' in schema) return `always "${String(schema.const)}"`;
  if (schema.format === 'date') return 'date (YYYY-MM-DD)';
  if (schema.format === 'date-time') return 'date and time (ISO 8601, UTC)';
  if (schema.format === 'uri') return 'URL';
  if (schema.type === 'integer') return 'whole number';
  if (schema.type === 'array') return 'list';
  return typeof schema.type === 'string' ? schema.type : 'value';
}

/** Each field of a response, depth first, as "items[].asker.slug" with its type and description. */
export function fieldRows(schema: JsonSchema, components: Record<string, JsonSchema>): FieldRow[] {
  const rows: FieldRow[] = [];
  const resolve = (s: JsonSchema): JsonSchema => {
    const ref = s.$ref;
    if (typeof ref === 'string' && ref.startsWith(COMPONENT_PREFIX)) {
      const target = components[ref.slice(COMPONENT_PREFIX.length)] ?? {};
      return { ...target, description: s.description ?? target.description };
    }
    return s;
  };
  const walk = (raw: JsonSchema, path: string, depth: number, nullable: boolean) => {
    let s = resolve(raw);
    const anyOf = s.anyOf as JsonSchema[] | undefined;
    if (anyOf) {
      const rest = anyOf.filter((x) => x.type !== 'null');
      const first = rest[0];
      if (rest.length === 1 && first) return walk({ ...first, description: s.description ?? first.description }, path, depth, nullable || rest.length < anyOf.length);
    }
    s = resolve(s);
    const isList = s.type === 'array';
    const item = isList ? resolve((s.items as JsonSchema | undefined) ?? {}) : s;
    const itemInner = (item.anyOf as JsonSchema[] | undefined)?.find((x) => x.type !== 'null');
    const element = itemInner ? resolve(itemInner) : item;
    if (path) {
      const base = isList ? (element.type === 'object' ? 'list of objects' : `list of ${describeType(element)}`) : describeType(s);
      rows.push({ name: path, type: nullable ? `${base}, or null` : base, description: typeof s.description === 'string' ? s.description : '' });
    }
    const properties = element.properties as Record<string, JsonSchema> | undefined;
    if (!properties || depth >= MAX_DEPTH) return;
    for (const [key, child] of Object.entries(properties)) walk(child, `${path}${isList ? '[]' : ''}${path ? '.' : ''}${key}`, depth + 1, false);
  };
  walk(schema, '', 0, false);
  return rows;
}

/**
 * The docs page's example requests use real identifiers from the record where it has them (keyed by the path's
 * first segment after /api/v1, e.g. "members"), so every example can be pasted and run.
 */
export type ExampleSlugs = Partial<Record<string, Record<string, string>>>;

export function docsPageModel(doc: OpenApiDocument, examples: ExampleSlugs = {}) {
  const components = doc.components.schemas;
  const server = doc.servers[0]?.url ?? '';
  const endpoints = Object.entries(doc.paths).map(([path, { get: op }]) => {
    const parameters = op.parameters as { name: string; in: string; required: boolean; description: string; schema: JsonSchema; example?: unknown }[];
    const exampleOf = (p: { example?: unknown } | undefined, fallback: string) => (typeof p?.example === 'string' || typeof p?.example === 'number' ? String(p.example) : fallback);
    const real = examples[path.split('/')[3] ?? ''] ?? {};
    const examplePath = path.replace(/\{(\w+)\}/g, (_m, name: string) => real[name] ?? exampleOf(parameters.find((p) => p.name === name), name));
    const exampleQuery = parameters
      .filter((p) => p.in === 'query' && p.example !== undefined && p.name !== 'page')
      .map((p) => `${encodeURIComponent(p.name)}=${encodeURIComponent(exampleOf(p, ''))}`)
      .join('&');
    const ok = (op.responses as Record<string, { content?: { 'application/json': { schema: JsonSchema } } }>)['200'];
    return {
      id: op.operationId,
      path,
      tag: op.tags[0] ?? '',
      summary: op.summary,
      description: op.description,
      parameters: parameters.map((p) => ({
        name: p.name,
        where: p.in === 'path' ? 'path' : 'query',
        required: p.required,
        type: p.schema.type === 'array' ? `${describeType((p.schema.items as JsonSchema | undefined) ?? {})}, repeatable` : describeType(p.schema),
        description: p.description,
      })),
      example: `${server}${examplePath}${exampleQuery ? `?${exampleQuery}` : ''}`,
      errors: Object.keys(op.responses).filter((status) => Number(status) >= 400),
      fields: ok?.content ? fieldRows(ok.content['application/json'].schema, components) : [],
    };
  });
  const tags = [...new Set(endpoints.map((e) => e.tag))].map((tag) => ({ tag, endpoints: endpoints.filter((e) => e.tag === tag) }));
  return { info: doc.info, tags };
}
