import { Glob } from './glob.js';

/**
 * Client ids a rule may name, and the `clientInfo.name` values those clients send. A rule's
 * `client` is one of these ids, or a glob on the client's name (case-insensitive).
 */
export const KNOWN_CLIENTS: Readonly<Record<string, readonly string[]>> = {
  'claude-code': ['claude-code'],
  'claude-desktop': ['claude-ai', 'claude desktop'],
  cursor: ['cursor-vscode', 'cursor'],
  vscode: ['visual studio code', 'visual-studio-code', 'vscode'],
  windsurf: ['windsurf-client', 'windsurf'],
};

export class ClientMatcher {
  private readonly names: readonly Glob[];

  constructor(readonly pattern: string) {
    const aliases = KNOWN_CLIENTS[pattern.toLowerCase()];
    this.names = (aliases ?? [pattern]).map((n) => new Glob(n, true));
  }

  /** A client that did not say its name never matches a rule that names a client. */
  matches(clientName: string | undefined): boolean {
    if (clientName === undefined) return false;
    for (const glob of this.names) if (glob.test(clientName)) return true;
    return false;
  }
}
