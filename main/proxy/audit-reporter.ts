/**
 * Turns what the proxy saw into audit events, redacted here (per policy, secrets always
 * scrubbed) so that raw arguments never reach the spool on disk, and hands them to the service.
 */
import type { AuditServer } from '../../shared/audit.js';
import type { ProxyAuditEvent } from '../../shared/proxy-protocol.js';
import type { RedactionRule } from '../../shared/redaction.js';
import { AuditIdGenerator } from '../audit/ids.js';
import { redactArguments, SecretScrubber } from '../audit/redaction.js';
import type { CallRecord, CallRecordSink } from './call-record.js';
import type { ClientIdentity } from './decider.js';

export interface EventSink {
  record(event: ProxyAuditEvent): void;
}

export class AuditReporter implements CallRecordSink {
  private readonly ids = new AuditIdGenerator(Date.now);
  private scrubber: SecretScrubber;

  private readonly server: AuditServer;
  /** The MCP client started this proxy: its pid is our parent's (read once; it is a system call). */
  private readonly clientPid = process.ppid;

  constructor(
    private readonly sink: EventSink,
    server: AuditServer,
    private readonly redaction: () => readonly RedactionRule[],
    private readonly client: () => ClientIdentity,
    private readonly cwd: string | undefined,
    secretValues: Iterable<string> = [],
  ) {
    this.scrubber = new SecretScrubber(secretValues);
    // A command line can carry a token (`--api-key …`): scrub it like arguments.
    this.server = this.scrubber.scrub(server) as AuditServer;
  }

  record(call: CallRecord): void {
    const { asked, approval, ...decision } = call.decision;
    const decided = asked ?? decision;
    const args = redactArguments({ server: call.server, tool: call.tool, arguments: call.arguments }, this.redaction(), this.scrubber);
    this.emit({
      kind: 'call',
      tool: call.tool,
      ...(args === undefined ? {} : { arguments: args }),
      decision: {
        effect: decided.effect,
        layer: decided.layer,
        rule: decided.rule,
        reason: decided.reason,
        ...(decided.monitored ? { monitored: decided.monitored } : {}),
      },
      ...(approval ? { approval } : {}),
      latencyMs: Math.round(call.totalMs * 1000) / 1000,
      outcome: {
        kind: call.outcome.kind === 'denied' && approval?.approver === 'timeout' ? 'timeout' : call.outcome.kind,
        ...('sizeBytes' in call.outcome ? { sizeBytes: call.outcome.sizeBytes } : {}),
        ...('code' in call.outcome ? { code: call.outcome.code } : {}),
      },
    });
  }

  /** server-start, server-stop, pin-change: facts without a tool call. */
  note(kind: 'server-start' | 'server-stop' | 'pin-change', detail: Record<string, unknown>): void {
    this.emit({ kind, detail });
  }

  private emit(event: Omit<ProxyAuditEvent, 'id' | 'time' | 'server' | 'client'>): void {
    const client = this.client();
    this.sink.record({
      id: this.ids.next(),
      time: new Date().toISOString(),
      server: this.server,
      client: {
        name: client.name ?? 'unknown',
        ...(client.version ? { version: client.version } : {}),
        pid: this.clientPid,
        ...(this.cwd ? { cwd: this.cwd } : {}),
      },
      ...event,
    });
  }
}
