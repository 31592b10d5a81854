/**
 * Server ids and the variable that carries one, without zod: `mcp-guard run` reads them before
 * the server starts, and its launch path loads no schema library (shared/server-registry.ts has the schemas).
 */

/** `claude-code/user/github`, `cursor/project/web-3fa2c1/linear`: client, scope, (project,) entry. */
export const SERVER_ID_PATTERN = '^[a-z][a-z0-9-]*/(user|local|project)/([A-Za-z0-9_][A-Za-z0-9._-]{0,80}/)?[A-Za-z0-9_][A-Za-z0-9._-]{0,120}$';

/** The environment variable the wrapped entry sets, naming its record. */
export const SERVER_ID_VARIABLE = 'MCP_GUARD_SERVER_ID';
