/**
 * What is wrong with a value, by a validator compiled from shared/'s zod schemas (generated/):
 * problems naming the JSON path and what was expected, never the value found there. Apart from
 * the validators themselves, so that a reader of one file kind loads only its own validator.
 */

export type SchemaProblem = { path: string; message: string };

/** An error as ajv's compiled code reports it (options `allErrors`, `verbose`). */
type SchemaError = {
  instancePath: string;
  schemaPath: string;
  keyword: string;
  params: Record<string, unknown>;
  parentSchema?: { description?: unknown; oneOf?: unknown };
  message?: string;
};
/** A validator of generated/validators.ts, as its (untyped) code behaves. */
export type CompiledValidator = ((data: unknown) => boolean) & { errors?: SchemaError[] | null };

/** Problems of `value` by a compiled validator; empty when it has none. */
export function schemaProblems(validate: CompiledValidator, value: unknown): SchemaProblem[] {
  if (validate(value)) return [];
  const errors = (validate.errors ?? []).filter((e) => e.keyword !== 'if'); // an `if` error only says its then/else failed; those say where
  // A value that fits no branch of an `anyOf` (or `oneOf`) is one problem, not one per branch.
  const unions = errors.filter((e) => e.keyword === 'anyOf' || e.keyword === 'oneOf').map((e) => e.schemaPath + '/');
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const error of errors) {
    if (unions.some((prefix) => error.schemaPath.startsWith(prefix))) continue;
    const problem = describe(error);
    const key = `${problem.path}\n${problem.message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(problem);
  }
  return out.length > 0 ? out : [{ path: '(root)', message: 'does not match the schema' }];
}

function describe(e: SchemaError): SchemaProblem {
  const at = pointerPath(e.instancePath);
  const p = e.params;
  const described = typeof e.parentSchema?.description === 'string' ? `expected ${e.parentSchema.description}` : undefined;
  switch (e.keyword) {
    case 'additionalProperties':
      return {
        path: formatPath([...at, String(p['additionalProperty'])]),
        message: 'unknown field; check the spelling (unknown fields are rejected so a typo cannot weaken policy)',
      };
    case 'required':
      return { path: formatPath([...at, String(p['missingProperty'])]), message: 'required, and missing' };
    case 'dependentRequired':
      return {
        path: formatPath([...at, String(p['property'])]),
        message: `"${String(p['property'])}" only applies together with "${String(p['missingProperty'])}"`,
      };
    case 'minProperties':
      return { path: formatPath(at), message: 'needs at least one field' };
    case 'enum':
      return { path: formatPath(at), message: `expected one of ${(p['allowedValues'] as unknown[]).map((v) => JSON.stringify(v)).join(', ')}` };
    case 'const':
      return { path: formatPath(at), message: described ?? `expected ${JSON.stringify(p['allowedValue'])}` };
    case 'type':
      return { path: formatPath(at), message: described ?? `expected ${article(String(p['type']))}` };
    case 'pattern':
      return { path: formatPath(at), message: described ?? `expected a string matching ${String(p['pattern'])}` };
    case 'minLength':
    case 'minItems':
      return { path: formatPath(at), message: p['limit'] === 1 ? 'must not be empty' : `needs at least ${String(p['limit'])}` };
    case 'anyOf':
    case 'oneOf':
      return { path: formatPath(at), message: described ?? 'matches none of the allowed forms' };
    case 'discriminator':
      return { path: formatPath([...at, String(p['tag'])]), message: `expected one of ${tagValues(e.parentSchema, String(p['tag'])).join(', ')}` };
    case 'not':
      return { path: formatPath(at), message: typeof e.parentSchema?.description === 'string' ? e.parentSchema.description : 'not allowed here' };
    default:
      return { path: formatPath(at), message: described ?? e.message ?? `fails "${e.keyword}"` };
  }
}

/** The values a discriminated union's branches fix its tag to, quoted: `"welcome", "refused", …`. */
function tagValues(union: { oneOf?: unknown } | undefined, tag: string): string[] {
  const branches = Array.isArray(union?.oneOf) ? (union.oneOf as Array<{ properties?: Record<string, { const?: unknown }> }>) : [];
  return branches.map((b) => JSON.stringify(b.properties?.[tag]?.const));
}

function article(type: string): string {
  return type === 'integer' ? 'a whole number' : /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** A JSON Pointer (`/rules/2/tool`) as keys; all-digit segments are taken as array indices. */
function pointerPath(pointer: string): PropertyKey[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((s) => (/^(?:0|[1-9]\d*)$/.test(s) ? Number(s) : s));
}

/** `["rules", 3, "tool"]` → `rules[3].tool`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out ? `.${key}` : key;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out || '(root)';
}
