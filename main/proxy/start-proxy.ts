/**
 * The one place the proxy is assembled: the upstream, the decision chain, the guard proxy on this
 * process's stdio, and (loaded once the handshake is answered, so it never delays the client's
 * connect) the policy, pins, service link and audit reporter of ./guard-wiring.ts. `mcp-guard run`
 * (main/cli) parses its arguments and calls this.
 */
import { randomUUID } from 'node:crypto';
import type { LaunchSpec } from '../../shared/launch-spec.js';
import type { ServerRecord } from '../../shared/server-registry.js';
import { JsonLineLogger } from '../common/logger.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { DecisionChain } from './decision-chain.js';
import { GuardProxy } from './guard-proxy.js';
import { tuneV8ForRelay } from './transport/relay-tuning.js';
import type { Upstream } from './transport/upstream.js';

export type ProxyOptions = {
  spec: LaunchSpec;
  /** `--allow` / `--deny`: they only ever tighten what policy says. */
  allow: string[] | undefined;
  deny: string[];
  maxLineBytes: number;
  /** The registry record, when a wrapped entry started this proxy (`mcp-guard run` with MCP_GUARD_SERVER_ID). */
  record?: ServerRecord;
};

/** Runs the proxy until the client or the server goes; resolves with the exit code (the caller exits). */
export async function startProxy(o: ProxyOptions, launched: Upstream | undefined): Promise<number> {
  const log = new JsonLineLogger(process.stderr, { component: 'mcp-guard-proxy', server: o.spec.name });
  const upstream =
    o.spec.kind === 'http' ? (await import('./transport/remote-upstream.js')).remoteUpstream(o.spec, o.record, (m: string) => log.log('info', m)) : launched;
  if (!upstream) throw new Error('startProxy: a stdio server is launched before the proxy loads');
  const chain = new DecisionChain(o.allow, o.deny);
  const proxy = new GuardProxy({
    server: o.spec.name,
    upstream,
    decider: chain,
    records: chain,
    log,
    input: process.stdin,
    output: process.stdout,
    // On Windows a write to a full pipe blocks instead of refusing: there the stream keeps the queue.
    outputFd: process.platform === 'win32' ? undefined : 1,
    maxLineBytes: o.maxLineBytes,
    onClientChange: () => chain.wiring?.link.clientChanged(),
    prepare: async () => {
      tuneV8ForRelay();
      const { wireGuard } = await import('./guard-wiring.js');
      chain.wiring = await wireGuard({
        spec: o.spec,
        ...(o.record ? { registered: o.record } : {}),
        paths: guardPaths(guardHome()),
        localId: randomUUID(),
        client: () => proxy.client,
        log,
        onDisable: (reason) => {
          log.log('warn', reason);
          void proxy.shutdown(1);
        },
      });
    },
  });
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    process.once(signal, () => void proxy.shutdown(signal === 'SIGINT' ? 130 : 143));
  }
  const code = await proxy.run();
  await chain.wiring?.stop();
  // stdout may still hold bytes for the client; let them out before leaving.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  return code;
}
