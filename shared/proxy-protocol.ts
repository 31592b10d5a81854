import { z } from 'zod';
import { SERVER_ID_PATTERN } from './server-id.js';
import { AuditEventInput, AuditApproval } from './audit.js';
import { Decision } from './decision.js';
import { Grant } from './grant.js';
import { ManagedPolicyStatus } from './managed-status.js';

/**
 * The proxy ↔ service protocol: newline-delimited JSON over a local socket (DESIGN.md). What a peer
 * can do here, and nothing more: say hello with the token, then, as a proxy, ask for a decision on
 * a held call and report audit events, or, as `mcp-guard status`, read the status (MESSAGES_BY_ROLE).
 * No message approves a call, creates a grant or changes policy.
 *
 * Version 2: the service issues each proxy's client session in `welcome` (a peer no longer names
 * one in `hello`); a proxy resumes it with the secret it was given; `bye` ends it.
 */
export const PROXY_PROTOCOL_VERSION = 2;

export const PeerRole = z.enum(['proxy', 'status']);
export type PeerRole = z.infer<typeof PeerRole>;

export const ProxyServerIdentity = z.strictObject({
  name: z.string().min(1),
  command: z.array(z.string()).optional(),
  url: z.string().optional(),
});
export type ProxyServerIdentity = z.infer<typeof ProxyServerIdentity>;

/** Who the MCP client is, as it told the proxy (initialize, or `_meta` of each 2026-07-28 request). */
export const ClientIdentity = z.strictObject({
  name: z.string().optional(),
  version: z.string().optional(),
  protocolVersion: z.string().optional(),
});
export type ClientIdentity = z.infer<typeof ClientIdentity>;

/** An audit event as a proxy writes it; the service adds device id and OS user, then the chain. */
export const ProxyAuditEvent = AuditEventInput.omit({ deviceId: true, osUser: true }).extend({ id: AuditEventInput.shape.id.unwrap() });
export type ProxyAuditEvent = z.infer<typeof ProxyAuditEvent>;

/** A call the proxy holds until the user answers: everything the prompt shows. */
export const HeldCall = z.strictObject({
  tool: z.string().min(1),
  arguments: z.unknown(),
  description: z.string().optional(),
  annotations: z.record(z.string(), z.unknown()).optional(),
  /** A wrapped server's registry id (the service reads its identity from the registry, not from the proxy). */
  serverId: z.string().regex(new RegExp(SERVER_ID_PATTERN)).optional(),
  /** Set when no grant can answer this ask (a rule with `allowGrants: false`, a new server): the prompt offers none. */
  grantable: z.literal(false).optional(),
  /** The decision that asked (policy `ask`, or a pin hold). */
  decision: Decision,
});
export type HeldCall = z.infer<typeof HeldCall>;

export const ProxyMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('hello'),
    protocol: z.literal(PROXY_PROTOCOL_VERSION),
    token: z.string().min(1),
    role: PeerRole,
    pid: z.number().int().positive(),
    cwd: z.string().optional(),
    /** A proxy coming back: the resume secret of its session, from the last `welcome` it got. */
    resume: z.string().min(1).max(200).optional(),
    server: ProxyServerIdentity.optional(),
    client: ClientIdentity.optional(),
  }),
  z.strictObject({ type: z.literal('client'), client: ClientIdentity }),
  z.strictObject({ type: z.literal('decide'), corr: z.number().int().nonnegative(), call: HeldCall }),
  z.strictObject({ type: z.literal('events'), corr: z.number().int().nonnegative(), events: z.array(ProxyAuditEvent).max(1000) }),
  z.strictObject({ type: z.literal('status') }),
  /** `mcp-guard sync now`: fetch the signed managed policy at once (answered by `synced`). */
  z.strictObject({ type: z.literal('sync-now') }),
  /** The proxy is ending: its client session (and the session's grants) end now. */
  z.strictObject({ type: z.literal('bye') }),
]);
export type ProxyMessage = z.infer<typeof ProxyMessage>;

export type PeerRequestType = Exclude<ProxyMessage['type'], 'hello'>;

/**
 * What each role may send after its hello; the endpoint refuses anything else and closes the
 * connection. A proxy never needs the status (that is `mcp-guard status`'s), and a status peer
 * may neither ask for decisions nor write audit events.
 */
export const MESSAGES_BY_ROLE: { readonly [R in PeerRole]: readonly PeerRequestType[] } = {
  proxy: ['client', 'decide', 'events', 'bye'],
  status: ['status', 'sync-now'],
};

/** What one fetch of the signed managed policy came to (main/sync/managed-sync.ts's RefreshOutcome, for the wire). */
export const SyncResult = z.strictObject({
  outcome: z.enum(['applied', 'unchanged', 'refused', 'unreachable', 'config-refused', 'not-configured']),
  message: z.string().optional(),
});
export type SyncResult = z.infer<typeof SyncResult>;

export const ConnectedProxy = z.strictObject({
  sessionId: z.string(),
  pid: z.number(),
  server: z.string(),
  client: z.string().optional(),
  since: z.string(),
});
export type ConnectedProxy = z.infer<typeof ConnectedProxy>;

export const ServiceStatus = z.strictObject({
  pid: z.number(),
  since: z.string(),
  proxies: z.array(ConnectedProxy),
  pendingApprovals: z.number().int().nonnegative(),
  policy: z.strictObject({
    userVersion: z.number().optional(),
    managedVersion: z.number().optional(),
    userRevision: z.string().optional(),
    managedRevision: z.string().optional(),
    problems: z.array(z.string()),
    managed: ManagedPolicyStatus.optional(),
  }),
});
export type ServiceStatus = z.infer<typeof ServiceStatus>;

export const ServiceMessage = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('welcome'),
    protocol: z.literal(PROXY_PROTOCOL_VERSION),
    /**
     * A proxy's client session, issued by the service: `id` keys its session grants and is shown
     * in the status; `resume` is a secret, fresh on every welcome, that only this proxy gets and
     * that lets it (and only it) take the session up again after its connection dropped.
     */
    session: z.strictObject({ id: z.string().min(1), resume: z.string().min(1) }).optional(),
  }),
  z.strictObject({ type: z.literal('refused'), reason: z.string() }),
  z.strictObject({ type: z.literal('decision'), corr: z.number().int().nonnegative(), decision: Decision, approval: AuditApproval.optional() }),
  /** The events up to this corr are durable in the audit log. */
  z.strictObject({ type: z.literal('recorded'), corr: z.number().int().nonnegative() }),
  z.strictObject({ type: z.literal('status'), status: ServiceStatus }),
  /** The answer to `sync-now`: what the fetch came to, and the status after it. */
  z.strictObject({ type: z.literal('synced'), result: SyncResult, status: ServiceStatus }),
  /** Policy or pins changed on disk: reload. */
  z.strictObject({ type: z.literal('changed'), what: z.enum(['policy', 'pins']) }),
  /**
   * The grants that cover this proxy's calls, in full, sent on connect and after every change, so a
   * granted `ask` is decided in the proxy without a round trip. Only the service sends them.
   */
  z.strictObject({ type: z.literal('grants'), grants: z.array(Grant) }),
  /** The user disabled this server: end it. */
  z.strictObject({ type: z.literal('disable'), reason: z.string() }),
]);
export type ServiceMessage = z.infer<typeof ServiceMessage>;

/** The service's answer to a held call: the decision, and for an asked call who answered and how. */
export type HeldCallAnswer = Pick<Extract<ServiceMessage, { type: 'decision' }>, 'decision' | 'approval'>;
