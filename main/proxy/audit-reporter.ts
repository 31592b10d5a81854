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
import type { ClientIdentity } from '../../shared/proxy-protocol.js';

export interface EventSink {
  record(event: ProxyAuditEvent): void;
}

export class AuditReporter implements CallRecordSink {
  private readonly ids = new AuditIdGenerator(Date.now);
  private scrubber: SecretScrubber;

  private readonly server: AuditServer;
  /** The MCP client started this proxy: its pid is our parent's (read once; it is a system call). */
  private readonly clientPid = process.ppid;
  /** The event's client, built once per identity the client states, not once per event. */
  private client: { of: ClientIdentity; event: ProxyAuditEvent['client'] } | undefined;

  constructor(
    private readonly sink: EventSink,
    server: AuditServer,
    private readonly redaction: () => readonly RedactionRule[],
    private readonly identity: () => ClientIdentity,
    private readonly cwd: string | undefined,
    secretValues: Iterable<string> = [],
  ) {
    this.scrubber = new SecretScrubber(secretValues);
    // A command line can carry a token (`--api-key …`): scrub it like arguments.
    this.server = this.scrubber.scrub(server) as AuditServer;
  }

  // Built by assignment, not spreads: this runs for every call, mostly before V8 has optimised it.
  record(call: CallRecord): void {
    const decided = call.decision.asked ?? call.decision;
    const approval = call.decision.approval;
    const decision: AuditDecision = { effect: decided.effect, layer: decided.layer, rule: decided.rule, reason: decided.reason };
    if (decided.monitored) decision.monitored = decided.monitored;
    const o = call.outcome;
    const outcome: AuditOutcome = { kind: o.kind === 'denied' && approval?.approver === 'timeout' ? 'timeout' : o.kind };
    if ('sizeBytes' in o) outcome.sizeBytes = o.sizeBytes;
    if ('code' in o) outcome.code = o.code;
    const event = this.event('call');
    event.tool = call.tool;
    const args = redactArguments({ server: call.server, tool: call.tool, arguments: call.arguments }, this.redaction(), this.scrubber);
    if (args !== undefined) event.arguments = args;
    event.decision = decision;
    if (approval) event.approval = approval;
    event.latencyMs = Math.round(call.totalMs * 1000) / 1000;
    event.outcome = outcome;
    this.sink.record(event);
  }

  /** server-start, server-stop, pin-change: facts without a tool call. */
  note(kind: 'server-start' | 'server-stop' | 'pin-change', detail: Record<string, unknown>): void {
    const event = this.event(kind);
    event.detail = detail;
    this.sink.record(event);
  }

  private event(kind: ProxyAuditEvent['kind']): ProxyAuditEvent {
    return { id: this.ids.next(), time: new Date().toISOString(), kind, server: this.server, client: this.clientOf(this.identity()) };
  }

  private clientOf(identity: ClientIdentity): ProxyAuditEvent['client'] {
    if (this.client?.of === identity) return this.client.event;
    const event: ProxyAuditEvent['client'] = { name: identity.name ?? 'unknown' };
    if (identity.version) event.version = identity.version;
    event.pid = this.clientPid;
    if (this.cwd) event.cwd = this.cwd;
    this.client = { of: identity, event };
    return event;
  }
}

type AuditDecision = NonNullable<ProxyAuditEvent['decision']>;
type AuditOutcome = NonNullable<ProxyAuditEvent['outcome']>;
