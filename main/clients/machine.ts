/**
 * This machine as the adapters see it (ClientEnvironment): the home directory, the platform, the
 * environment, the project directories to look in, and bounded reads of files.
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import type { ClientEnvironment } from './client-adapter.js';
import { readConfigTextSync } from './config-file.js';

export function thisMachine(env: NodeJS.ProcessEnv, projects: readonly string[]): ClientEnvironment {
  return {
    home: env['HOME'] || homedir(),
    platform: process.platform,
    env,
    projects: projects.map((p) => resolve(p)),
    readText: (path) => {
      try {
        return readConfigTextSync(path);
      } catch {
        // Unreadable (a directory, over the cap, no permission): as good as absent for discovery; wrap reads it again and says why.
        return undefined;
      }
    },
  };
}
