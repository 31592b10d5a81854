import type { AuditApproval } from '../../shared/audit.js';
import type { Decision } from '../../shared/decision.js';
import type { ClientIdentity } from '../../shared/proxy-protocol.js';
import type { RequestId } from './json-rpc.js';

export type ToolCall = {
  server: string;
  tool: string;
  arguments: unknown;
  client: ClientIdentity;
  requestId: RequestId;
  /** A 2026-07-28 `input_required` retry of a call the guard already let through. */
  continuation: boolean;
};

/** A tool as the server listed it; only `name` is relied on, the rest is kept as sent. */
export type ListedTool = { name: string } & Record<string, unknown>;

/**
 * Where a `tools/list` answer sits in a listing that may be paginated: `cursor` is what its request
 * asked for (none: the first page), `nextCursor` what the answer offers (none: the last page). The
 * client's listings and the guard's own re-checks are separate listings.
 */
export type ListPage = { listing: 'client' | 'guard'; cursor: string | undefined; nextCursor: string | undefined };

/** A decision, and for an asked call the user's answer and the decision that asked. */
export type Verdict = Decision & { approval?: AuditApproval; asked?: Decision };

/**
 * Decides tool calls and what the client may see of the tool list. Synchronous answers stay on
 * the hot path; a promise (an approval) holds only that call.
 */
export interface Decider {
  decideCall(call: ToolCall): Verdict | Promise<Verdict>;
  /** The tools the client may see; called with every `tools/list` result (each page of it). */
  visibleTools(server: string, tools: ListedTool[], client: ClientIdentity, instructions: string | undefined, page: ListPage): ListedTool[];
}
