import { randomUUID } from 'node:crypto';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { JsonLineLogger } from '../common/logger.js';
import type { CallRecord, CallRecordSink } from '../proxy/call-record.js';
import type { Decider, ListedTool, ToolCall, Verdict } from '../proxy/decider.js';
import { GuardProxy } from '../proxy/guard-proxy.js';
import type { GuardWiring } from '../proxy/guard-wiring.js';
import { ListDecider } from '../proxy/list-decider.js';
import { tuneV8ForRelay } from '../proxy/transport/relay-tuning.js';
import type { Upstream } from '../proxy/transport/upstream.js';
import type { RunArgs } from './run-args.js';

/**
 * Runs the guard proxy between this process's stdio and the server: `launched` (a stdio server,
 * started by ./run-command.ts before this module loaded) or the --url one.
 */
export async function runProxy(args: RunArgs, launched: Upstream | undefined): Promise<number> {
  const log = new JsonLineLogger(process.stderr, { component: 'mcp-guard-proxy', server: args.spec.name });
  const upstream =
    args.spec.kind === 'http'
      ? new (await import('../proxy/transport/http-upstream.js')).HttpUpstream(args.spec, (m: string) => log.log('info', m))
      : launched;
  if (!upstream) throw new Error('runProxy: a stdio server is launched before the proxy loads');
  const guard = new LateGuard(args);
  const proxy = new GuardProxy({
    server: args.spec.name,
    upstream,
    decider: guard,
    records: guard,
    log,
    input: process.stdin,
    output: process.stdout,
    // On Windows a write to a full pipe blocks instead of refusing: there the stream keeps the queue.
    outputFd: process.platform === 'win32' ? undefined : 1,
    maxLineBytes: args.maxLineBytes,
    prepare: async () => {
      tuneV8ForRelay();
      const { wireGuard } = await import('../proxy/guard-wiring.js');
      guard.wiring = wireGuard({
        spec: args.spec,
        paths: guardPaths(guardHome()),
        sessionId: randomUUID(),
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
  await guard.wiring?.stop();
  // stdout may still hold bytes for the client; let them out before leaving.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  process.exit(code);
}

/**
 * The decider and audit sink of a proxy whose policy is still loading. The proxy holds governed
 * messages until it is ready; if loading failed, every call is denied (fail closed).
 * `--allow` / `--deny` from the command line tighten whatever policy says.
 */
class LateGuard implements Decider, CallRecordSink {
  wiring: GuardWiring | undefined;
  private readonly flags: ListDecider | undefined;

  constructor(args: RunArgs) {
    this.flags = args.allow || args.deny.length > 0 ? new ListDecider(args.allow, args.deny) : undefined;
  }

  decideCall(call: ToolCall): Verdict | Promise<Verdict> {
    const flagged = this.flags?.decideCall(call);
    if (flagged?.effect === 'deny') return flagged;
    if (!this.wiring) return { effect: 'deny', layer: 'default', rule: 'default', reason: 'MCP Guard could not load its policy (see its log)', hints: [] };
    return this.wiring.decider.decideCall(call);
  }

  visibleTools(...a: Parameters<Decider['visibleTools']>): ListedTool[] {
    const visible = this.wiring ? this.wiring.decider.visibleTools(...a) : [];
    return this.flags ? this.flags.visibleTools(a[0], visible) : visible;
  }

  record(call: CallRecord): void {
    this.wiring?.reporter.record(call);
  }
}
