/**
 * The policy document and the pin file, validated by the functions compiled from shared/'s zod
 * schemas (generated/validators.ts; see build/generate-validators.ts). Needs neither zod nor ajv
 * at run time. Errors come back as problems naming the JSON path and what was expected, never the
 * value found there (./schema-problems.ts).
 */
import { validatePinFile, validatePolicyFile } from './generated/validators.js';
import { schemaProblems, type CompiledValidator, type SchemaProblem } from './schema-problems.js';

/** Problems of a policy document's shape; empty when it has none. */
export function policyShapeProblems(value: unknown): SchemaProblem[] {
  return schemaProblems(validatePolicyFile as CompiledValidator, value);
}

/** Problems of a pin file's shape; empty when it has none. */
export function pinFileProblems(value: unknown): SchemaProblem[] {
  return schemaProblems(validatePinFile as CompiledValidator, value);
}
