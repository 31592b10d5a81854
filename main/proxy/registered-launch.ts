/**
 * A wrapped entry's launch: the registry record says what to run; the fields the client expands
 * (`${workspaceFolder}`…) come expanded in the environment the client gave the wrapped entry; the
 * secrets come from the keychain (or their credential helpers). The result is the same LaunchSpec
 * `mcp-guard run -- …` builds from its arguments.
 */
import type { LaunchSpec } from '../../shared/launch-spec.js';
import type { ServerRecord } from '../../shared/server-registry.js';

export class RegisteredLaunchError extends Error {}

export function launchSpecOf(
  record: ServerRecord,
  env: Readonly<Record<string, string | undefined>>,
  secrets: { env: Record<string, string>; headers: Record<string, string> },
): LaunchSpec {
  const expanded = (variable: string): string => {
    const value = env[variable];
    if (value === undefined) {
      throw new RegisteredLaunchError(
        `${record.id}: the client did not pass ${variable} (the wrapped entry in ${record.file} was edited); run mcp-guard unwrap --server ${record.name}, then mcp-guard wrap --server ${record.name}`,
      );
    }
    return value;
  };
  const { launch } = record;
  if (launch.transport === 'stdio') {
    let { command, cwd } = launch;
    const args = [...launch.args];
    for (const e of record.clientExpanded) {
      if (e.field === 'command') command = expanded(e.variable);
      else if (e.field === 'cwd') cwd = expanded(e.variable);
      else if (e.field === 'arg' && typeof e.at === 'number' && e.at < args.length) args[e.at] = expanded(e.variable);
    }
    return { kind: 'stdio', name: record.name, command, args, ...(cwd !== undefined ? { cwd } : {}), env: secrets.env };
  }
  let { url } = launch;
  const headers = { ...launch.headers };
  for (const e of record.clientExpanded) {
    if (e.field === 'url') url = expanded(e.variable);
    else if (e.field === 'header' && typeof e.at === 'string') headers[e.at] = expanded(e.variable);
  }
  if (launch.transport === 'sse')
    throw new RegisteredLaunchError(
      `${record.id}: the server uses the old HTTP+SSE transport, which the guard proxy does not speak yet; unwrap it (mcp-guard unwrap --server ${record.name})`,
    );
  return { kind: 'http', name: record.name, url, headers: { ...headers, ...secrets.headers } };
}
