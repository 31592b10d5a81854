/**
 * `mcp-guard run` as a wrapped entry starts it: no arguments, the server id in
 * MCP_GUARD_SERVER_ID. The record comes from the registry, the secrets from the keychain; an id
 * that is unknown, or whose record does not validate, is refused (exit 1) with what to do, and an
 * audit event (./run-refusal.ts).
 */
import { launchSpecOf, RegisteredLaunchError } from '../proxy/registered-launch.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { formatRecordProblems, ServerRegistry } from '../store/server-registry.js';
import { DEFAULT_MAX_LINE_BYTES, type RunArgs } from './run-args.js';

export async function registeredRunArgs(id: string, env: NodeJS.ProcessEnv): Promise<RunArgs> {
  const paths = guardPaths(guardHome(env));
  const registry = new ServerRegistry(paths.servers);
  let read;
  try {
    read = registry.readSync(id);
  } catch (error) {
    throw new RegisteredLaunchError(error instanceof Error ? error.message : String(error));
  }
  if (read.state === 'missing') {
    throw new RegisteredLaunchError(`unknown server id "${id}": the guard has no record of it in ${paths.servers}; wrap the server again (mcp-guard wrap)`);
  }
  if (read.state === 'bad') {
    throw new RegisteredLaunchError(
      `the record of "${id}" is not valid, so the server is not started:\n${formatRecordProblems(read.problems)}\nunwrap and wrap it again (mcp-guard unwrap --server NAME; mcp-guard wrap --server NAME)`,
    );
  }
  const { record } = read;
  const { resolveSecrets } = await import('../secrets/launch-secrets.js');
  const secrets = await resolveSecrets(record.id, record.secrets);
  return { spec: launchSpecOf(record, env, secrets), allow: undefined, deny: [], maxLineBytes: DEFAULT_MAX_LINE_BYTES, record };
}
