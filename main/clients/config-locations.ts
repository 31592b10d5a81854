/**
 * What several clients share: a user file and, per project, a file at the same place in the
 * project (`.cursor/mcp.json`); and the one-entry-container read of such a file.
 */
import { posix, win32 } from 'node:path';
import type { ClientName } from '../../shared/server-registry.js';
import type { ClientEnvironment, ConfigLocation } from './client-adapter.js';

/** The path functions of the machine's platform (tests describe other platforms' machines). */
export function pathOf(machine: ClientEnvironment): typeof posix {
  return machine.platform === 'win32' ? win32 : posix;
}

/**
 * The user file and each project's file at `inProject` (path segments). A project at the home
 * folder whose file is the user file is not listed twice: the client reads it once, as the user's.
 */
export function userAndProjectFiles(client: ClientName, machine: ClientEnvironment, user: string, inProject: readonly string[]): ConfigLocation[] {
  const path = pathOf(machine);
  const out: ConfigLocation[] = [{ client, scope: 'user', path: user }];
  for (const dir of new Set(machine.projects)) {
    const file = path.join(dir, ...inProject);
    if (file !== user) out.push({ client, scope: 'project', path: file, projectDir: dir });
  }
  return out;
}
