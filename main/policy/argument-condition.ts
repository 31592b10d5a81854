import { createRequire } from 'node:module';
import type * as AjvModule from 'ajv';
import type { Ajv, ValidateFunction } from 'ajv';
import { schemaPatterns, unsafeRegexReason } from './regex-safety.js';

/** A rule's argument condition, compiled once. */
export type ArgumentCheck = ValidateFunction;

/**
 * One Ajv per engine or parse (never module-level). Strict mode makes an unknown keyword (a typo
 * such as `patern`) an error instead of a condition that silently matches everything.
 */
export function createAjv(): Ajv {
  // Loaded on first use: most policies have no argument conditions, and the proxy should not pay ajv's memory for none.
  const { Ajv } = createRequire(import.meta.url)('ajv') as typeof AjvModule;
  return new Ajv({ strict: true, strictTypes: false, strictTuples: false, allErrors: false, logger: false, validateFormats: false });
}

export type ConditionProblem = { path: string; message: string };

/** Compiles a condition after checking its regular expressions; problems name JSON paths under `path`. */
export function compileCondition(ajv: Ajv, schema: Record<string, unknown>, path: string): { check: ArgumentCheck } | { problems: ConditionProblem[] } {
  const problems: ConditionProblem[] = [];
  for (const found of schemaPatterns(schema, path)) {
    const reason = unsafeRegexReason(found.pattern);
    if (reason)
      problems.push({
        path: found.path,
        message: `regular expression ${JSON.stringify(found.pattern)} could run away: ${reason}; rewrite it without nested or overlapping repetition`,
      });
  }
  if (problems.length > 0) return { problems };
  try {
    return { check: ajv.compile(schema) };
  } catch (error) {
    return { problems: [{ path, message: `not a valid JSON Schema: ${error instanceof Error ? error.message : String(error)}` }] };
  }
}
