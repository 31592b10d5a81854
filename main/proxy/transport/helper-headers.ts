/**
 * Header secrets from credential helpers with a TTL (`ttlSeconds` in the server's record): the
 * value resolved at launch is used until the TTL passes, then the helper runs again before the
 * next request (not on a timer: an idle proxy runs nothing). A helper's output is never logged,
 * audited or put in an error; a failed run fails the request it held up, and the next request
 * tries again.
 */
import type { ServerSecret } from '../../../shared/server-registry.js';
import { CredentialHelperError, runCredentialHelper, type HelperRun } from '../../secrets/credential-helper.js';
import { HeaderSourceError, type HeaderSource, type HeaderValues } from './header-source.js';
import { HEADER_VALUE_BAD } from '../../secrets/launch-secrets.js';

type Helper = { name: string; command: readonly string[]; timeoutMs: number | undefined; ttlMs: number; value: string; expiresAt: number };

/** The header secrets of a record that can expire: target header, source a helper with a TTL. */
export function expiringHeaderSecrets(secrets: readonly ServerSecret[]): (ServerSecret & { source: { kind: 'helper'; ttlSeconds: number } })[] {
  return secrets.filter(
    (s): s is ServerSecret & { source: { kind: 'helper'; ttlSeconds: number } } =>
      s.target === 'header' && s.source.kind === 'helper' && s.source.ttlSeconds !== undefined,
  );
}

export class HelperHeaderSource implements HeaderSource {
  private readonly helpers: Helper[];
  private current: HeaderValues;
  private nextExpiry: number;
  private pending: Promise<HeaderValues> | undefined;

  /**
   * `launchValues`: the values resolved at launch, and `resolvedAt` a time no later than their
   * helpers ran (the process's start), so a TTL is never stretched by the proxy's own start-up.
   */
  constructor(
    private readonly server: string,
    secrets: readonly ServerSecret[],
    launchValues: Readonly<Record<string, string>>,
    resolvedAt: number,
    private readonly run: (r: HelperRun) => Promise<string> = runCredentialHelper,
    private readonly now: () => number = Date.now,
  ) {
    this.helpers = expiringHeaderSecrets(secrets).map((s) => {
      const ttlMs = s.source.ttlSeconds * 1000;
      const value = launchValues[s.name];
      // A value the launch did not give (it always does) is fetched before the first request.
      return {
        name: s.name,
        command: s.source.command,
        timeoutMs: s.source.timeoutMs,
        ttlMs,
        value: value ?? '',
        expiresAt: value === undefined ? 0 : resolvedAt + ttlMs,
      };
    });
    this.current = this.snapshot();
    this.nextExpiry = this.earliestExpiry();
  }

  headers(): HeaderValues | Promise<HeaderValues> {
    if (this.now() < this.nextExpiry) return this.current;
    return (this.pending ??= this.refresh().finally(() => (this.pending = undefined)));
  }

  private async refresh(): Promise<HeaderValues> {
    const now = this.now();
    await Promise.all(this.helpers.filter((h) => now >= h.expiresAt).map((h) => this.rerun(h)));
    this.current = this.snapshot();
    this.nextExpiry = this.earliestExpiry();
    return this.current;
  }

  private async rerun(helper: Helper): Promise<void> {
    // The TTL counts from the run's start: the value may have been minted then.
    const startedAt = this.now();
    let value: string;
    try {
      value = await this.run({ command: helper.command, timeoutMs: helper.timeoutMs });
    } catch (error) {
      const why = error instanceof CredentialHelperError ? error.message.replace(/^mcp-guard: /, '') : 'its credential helper failed';
      throw new HeaderSourceError(
        `could not renew the header ${helper.name} of MCP server "${this.server}" (its TTL passed): ${why}; the request was not sent, try it again once the helper works`,
      );
    }
    if (HEADER_VALUE_BAD.test(value))
      throw new HeaderSourceError(
        `could not renew the header ${helper.name} of MCP server "${this.server}": its credential helper printed a line break or a character a header cannot carry; the request was not sent`,
      );
    helper.value = value;
    helper.expiresAt = startedAt + helper.ttlMs;
  }

  private snapshot(): HeaderValues {
    return Object.freeze(Object.fromEntries(this.helpers.filter((h) => h.value !== '').map((h) => [h.name, h.value])));
  }

  private earliestExpiry(): number {
    return Math.min(Infinity, ...this.helpers.map((h) => h.expiresAt));
  }
}
