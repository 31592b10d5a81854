/**
 * What the client sees of the server's tools. Every `tools/list` answer goes past the decider
 * (which hides tools and checks their pins); when the server says its tools changed, the proxy
 * lists them itself, so a changed tool is held before the client's next call, not after.
 */
import type { ListedTool, ListPage } from './decider.js';
import type { GuardParts } from './guard-parts.js';
import type { Pending } from './in-flight.js';
import { isObject, type JsonObject } from './json-rpc.js';

/** Pages of one re-check the proxy follows: a server that keeps sending cursors is not followed for ever. */
const MAX_PAGES = 1000;

export class ToolListGuard {
  private instructions: string | undefined;
  private rechecks = 0;
  /** The `_meta` of the client's latest request, for the proxy's own requests to a stateless server. */
  private lastMeta: unknown;

  constructor(private readonly o: GuardParts) {}

  /** Every client request: its `_meta` (2026-07-28) is what the proxy's own requests carry. */
  noteRequest(params: unknown): void {
    if (isObject(params) && isObject(params['_meta'])) this.lastMeta = params['_meta'];
  }

  /** The answer to `initialize` or `server/discover`: its instructions are pinned with the tools. */
  noteHandshake(message: JsonObject): void {
    const result = message['result'];
    if (isObject(result) && typeof result['instructions'] === 'string') this.instructions = result['instructions'];
  }

  /**
   * The answer to a `tools/list` request as the client may see it, always re-serialised from the
   * guard's own parse: a duplicated key cannot show a client that keeps the first one another list.
   */
  filtered(request: Pending, message: JsonObject): string {
    const result = message['result'];
    if (!isObject(result) || !Array.isArray(result['tools'])) return JSON.stringify(message);
    const listed = result['tools'].filter((t): t is ListedTool => isObject(t) && typeof t['name'] === 'string');
    if (listed.length !== result['tools'].length) this.o.log.log('warn', 'server listed tools without a name; hidden');
    const nextCursor = typeof result['nextCursor'] === 'string' ? result['nextCursor'] : undefined;
    const page: ListPage = { listing: request.internal ? 'guard' : 'client', cursor: request.cursor, nextCursor };
    const visible = this.o.decider.visibleTools(this.o.server, listed, this.o.client(), this.instructions, page);
    if (visible.length === result['tools'].length) return JSON.stringify(message);
    return JSON.stringify({ ...message, result: { ...result, tools: visible } });
  }

  /** The server says its tools changed: list them, so pins are checked before the next call. */
  recheck(cursor?: string, page = 1): void {
    if (this.o.serverGone()) return;
    // An id of the client's still in flight is skipped: two requests under one id would get each other's answers.
    let id: string;
    do id = `mcp-guard:recheck-${++this.rechecks}`;
    while (this.o.inFlight.has(id));
    const request: Pending = { id, method: 'tools/list', startedAt: this.o.now(), internal: true, recheckPage: page };
    if (cursor !== undefined) request.cursor = cursor;
    this.o.inFlight.add(request);
    const params: JsonObject = {};
    if (cursor !== undefined) params['cursor'] = cursor;
    if (this.lastMeta !== undefined) params['_meta'] = this.lastMeta;
    this.o.forward({ jsonrpc: '2.0', id, method: 'tools/list', params });
  }

  /** The answer to one of the proxy's own lists: checked, and the next page asked for. */
  onRecheckAnswer(request: Pending, message: JsonObject): void {
    this.filtered(request, message);
    const result = message['result'];
    const page = request.recheckPage ?? MAX_PAGES;
    if (isObject(result) && typeof result['nextCursor'] === 'string' && page < MAX_PAGES) this.recheck(result['nextCursor'], page + 1);
  }
}
