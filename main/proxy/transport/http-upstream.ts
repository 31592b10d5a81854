import { Buffer } from 'node:buffer';
import { ErrorCode, errorResponse, idKey, isObject, isRequestId, type JsonObject, type RequestId } from '../json-rpc.js';
import { advice, describeNetworkError, ERROR_BODY_LIMIT, readLimited, statusText } from './http-failures.js';
import { HeaderSourceError, type HeaderSource } from './header-source.js';
import { describeTarget, parseTarget, secretsOf } from './http-target.js';
import { RequestHeaders } from './request-headers.js';
import { SseParser } from './sse-parser.js';
import type { LaunchSpec } from '../../../shared/launch-spec.js';
import type { UnauthorizedHandler } from './oauth-gate.js';
import type { Upstream, UpstreamEvents, UpstreamExit } from './upstream.js';

/** close() gives up on the DELETE after this long. */
const CLOSE_BUDGET_MS = 1500;
/** Consecutive failed (re)connections of the GET stream, or resumptions of one POST stream, before giving up. */
const GET_RETRY_LIMIT = 5;
const RESUME_LIMIT = 3;
const MAX_BACKOFF_MS = 30_000;

type Inflight = { id: RequestId; method: string; answered: boolean; cancelled: boolean };
/** One logical SSE stream, across reconnections: where to resume, how long to wait. */
type StreamState = { lastEventId?: string; retryMs?: number; messages: number };

export type HttpUpstreamOptions = {
  /** Headers whose values change while the proxy runs (credential helpers with a TTL; OAuth's token). */
  headerSource?: HeaderSource;
  /** Asked about a 401: it may get credentials (OAuth sign-in or refresh), and the POST is sent once more. */
  onUnauthorized?: UnauthorizedHandler;
};

/**
 * A remote MCP server over Streamable HTTP (2025-03-26 … 2025-11-25 with sessions, and the
 * stateless 2026-07-28 revision): each message is its own POST; answers come back as JSON or as an
 * SSE stream and are handed on as newline-delimited JSON lines, in order per stream. POSTs run
 * concurrently. Every request gets an answer: the server's, or a JSON-RPC error naming what failed.
 *
 * Secrets: header values, URL credentials and the query string never reach a log line or an error;
 * the server is named by origin and path only. Redirects are not followed (a redirect would carry
 * the configured headers to wherever the server points); they are reported with the new location.
 * Timeouts are undici's: 10 s to connect, 300 s for response headers and between body chunks.
 * `send` never asks the proxy to wait (each message is its own POST), so `onDrain` is never called;
 * `pause` holds the reading of SSE streams while the client is slow. Credentials that change while
 * it runs come from the options' header source and 401 handler (./header-source.ts, ./oauth-gate.ts).
 */
export class HttpUpstream implements Upstream {
  private events: UpstreamEvents | undefined;
  private target: URL | undefined;
  private readonly where: string;
  private readonly secrets: string[];
  private readonly headers: RequestHeaders;
  private readonly onUnauthorized: UnauthorizedHandler | undefined;
  private reached = false;
  private exited = false;
  private closed = false;
  private getStreamRunning = false;
  private paused = false;
  private resumeWaiters: (() => void)[] = [];
  private readonly inflight = new Map<string, Inflight>();
  private readonly controllers = new Set<AbortController>();
  private readonly sleepers = new Set<() => void>();
  private readonly responseControllers = new WeakMap<Response, AbortController>();

  constructor(
    private readonly spec: Extract<LaunchSpec, { kind: 'http' }>,
    private readonly log: (message: string) => void,
    options: HttpUpstreamOptions = {},
  ) {
    this.where = describeTarget(spec);
    this.secrets = secretsOf(spec);
    this.headers = new RequestHeaders(options.headerSource, this.secrets);
    this.onUnauthorized = options.onUnauthorized;
  }

  start(events: UpstreamEvents): void {
    this.events = events;
    const target = parseTarget(this.spec);
    if ('problem' in target) {
      queueMicrotask(() => this.exit({ reason: `could not start MCP server "${this.spec.name}": ${target.problem}`, failedToStart: true }));
      return;
    }
    this.target = target.url;
    this.headers.configured = target.headers;
  }

  send(message: JsonObject, line: string): boolean {
    if (this.live) void this.exchange(message, line);
    return true;
  }

  pause(): void {
    this.paused = true;
  }

  resume(): void {
    this.paused = false;
    const waiters = this.resumeWaiters;
    this.resumeWaiters = [];
    for (const wake of waiters) wake();
  }

  /** Aborts every open stream, then ends the session with DELETE (405: the server keeps sessions itself). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.stopAll();
    const sessionId = this.headers.sessionId;
    if (!this.target || sessionId === undefined) return;
    try {
      const signal = AbortSignal.timeout(CLOSE_BUDGET_MS); // for renewing a credential too
      const headers = await this.headers.within(signal);
      const response = await fetch(this.target, { method: 'DELETE', headers, redirect: 'manual', signal });
      await response.body?.cancel();
      if (!response.ok && response.status !== 405)
        this.log(`MCP server "${this.spec.name}" at ${this.where} answered HTTP ${response.status} to ending the session`);
    } catch (error) {
      this.log(`could not end the session with MCP server "${this.spec.name}" at ${this.where}: ${describeNetworkError(error, this.scrub)}`);
    }
  }

  // ── one message ────────────────────────────────────────────────────────────────────────

  private async exchange(message: JsonObject, line: string): Promise<void> {
    const method = typeof message['method'] === 'string' ? message['method'] : undefined;
    const rawId = message['id'];
    const request = method !== undefined && isRequestId(rawId) ? this.track(rawId, method) : undefined;
    if (method === 'notifications/cancelled') this.noteCancelled(message);
    const controller = this.controller();
    const stream: StreamState = { messages: 0 };
    try {
      let response: Response;
      try {
        response = await this.post(message, method, line, controller);
      } catch (error) {
        if (error instanceof HeaderSourceError) return this.withoutCredentials(request, method, error);
        return this.unreachable(request, method, error);
      }
      this.reached = true;
      const sessionId = response.headers.get('mcp-session-id');
      if (method === 'initialize' && response.ok && sessionId) this.headers.sessionId = sessionId;
      if (!response.ok) return await this.httpFailure(request, method, response);
      if (!request) {
        await response.body?.cancel();
        if (method === 'notifications/initialized') this.openGetStream();
        return;
      }
      const dropped = await this.readAnswer(request, response, stream);
      await this.resumeUntilAnswered(request, stream);
      if (!request.answered) {
        const why = dropped ? `the connection dropped (${describeNetworkError(dropped, this.scrub)})` : 'the server ended the stream';
        this.fail(request, `MCP server "${this.spec.name}" at ${this.where} did not answer ${method}: ${why}; try again`);
      }
    } catch (error) {
      if (request)
        this.fail(
          request,
          `MCP Guard could not exchange ${method} with MCP server "${this.spec.name}" at ${this.where}: ${describeNetworkError(error, this.scrub)}; try again`,
        );
    } finally {
      this.controllers.delete(controller);
      if (request && this.inflight.get(idKey(request.id)) === request) this.inflight.delete(idKey(request.id));
    }
  }

  /**
   * One POST. A 401 the handler can answer is sent again with what it got: twice at most (stored
   * tokens the server refuses, then a refresh), with at most one sign-in. Credential trouble throws a HeaderSourceError.
   */
  private async post(message: JsonObject, method: string | undefined, line: string, controller: AbortController): Promise<Response> {
    let mayAsk = true;
    for (let challenges = 0; ; challenges++) {
      const pending = this.headers.for(message, method);
      const headers = pending instanceof Promise ? await pending : pending; // no await (and no tick) when nothing expired
      const response = await fetch(this.target!, { method: 'POST', headers, body: line, redirect: 'manual', signal: controller.signal });
      if (response.status !== 401 || challenges === 2 || !this.onUnauthorized?.wants(response)) return response;
      this.reached = true;
      await response.body?.cancel();
      if (await this.onUnauthorized.challenged(response, headers.get('authorization'), mayAsk)) mayAsk = false;
    }
  }

  /** Reads the body of a 2xx answer to a request; returns the network error if the stream broke. */
  private async readAnswer(request: Inflight, response: Response, stream: StreamState): Promise<unknown> {
    const type = contentType(response);
    if (type === 'text/event-stream') return this.readSse(response, stream, request.method);
    if (type === 'application/json') {
      const text = Buffer.from(await response.arrayBuffer()).toString('utf8');
      this.deliver(text, request.method);
      return undefined;
    }
    await response.body?.cancel();
    const what = response.status === 202 || type === '' ? `HTTP ${response.status} without an answer` : `an answer of type "${type.slice(0, 60)}"`;
    this.fail(
      request,
      `MCP server "${this.spec.name}" at ${this.where} sent ${what} to ${request.method}; check that the URL points at an MCP Streamable HTTP endpoint`,
    );
    return undefined;
  }

  /** An SSE answer that ended early is resumed with GET + Last-Event-ID, as the spec provides, a few times. */
  private async resumeUntilAnswered(request: Inflight, stream: StreamState): Promise<void> {
    for (let attempt = 1; attempt <= RESUME_LIMIT && !request.answered && !request.cancelled && this.live && stream.lastEventId !== undefined; attempt++) {
      await this.sleep(stream.retryMs ?? backoff(attempt));
      const response = await this.openGet(stream).catch(() => undefined);
      if (!response) continue;
      if (!response.ok || contentType(response) !== 'text/event-stream') return this.release(response, true);
      await this.readSse(response, stream, request.method);
    }
  }

  // ── the GET stream for server-initiated messages ───────────────────────────────────────

  private openGetStream(): void {
    if (this.getStreamRunning || !this.live) return;
    this.getStreamRunning = true;
    void this.runGetStream().finally(() => (this.getStreamRunning = false));
  }

  private async runGetStream(): Promise<void> {
    const stream: StreamState = { messages: 0 };
    for (let failures = 0; this.live;) {
      const before = stream.messages;
      const response = await this.openGet(stream).catch((error: unknown) => {
        if (this.live) this.log(`the event stream of MCP server "${this.spec.name}" at ${this.where} failed: ${describeNetworkError(error, this.scrub)}`);
        return undefined;
      });
      if (response?.status === 405) return this.release(response, true); // the server has no stream of its own
      if (response && (!response.ok || contentType(response) !== 'text/event-stream')) {
        await this.release(response, true);
        this.log(
          `MCP server "${this.spec.name}" at ${this.where} refused its event stream (HTTP ${response.status}); server-initiated messages outside a request will not arrive`,
        );
        return;
      }
      if (response) await this.readSse(response, stream, 'the event stream');
      if (!this.live) return;
      failures = stream.messages > before ? 1 : failures + 1;
      if (failures > GET_RETRY_LIMIT) {
        this.log(
          `the event stream of MCP server "${this.spec.name}" at ${this.where} kept dropping (${GET_RETRY_LIMIT} reconnections in a row failed); giving up on it, so server-initiated messages outside a request will not arrive`,
        );
        return;
      }
      await this.sleep(stream.retryMs ?? backoff(failures));
    }
  }

  private async openGet(stream: StreamState): Promise<Response> {
    const headers = await this.headers.for(undefined, undefined);
    headers.set('accept', 'text/event-stream');
    if (stream.lastEventId !== undefined) headers.set('last-event-id', stream.lastEventId);
    const controller = this.controller();
    try {
      const response = await fetch(this.target!, { method: 'GET', headers, redirect: 'manual', signal: controller.signal });
      this.attachController(response, controller);
      return response;
    } catch (error) {
      this.controllers.delete(controller);
      throw error;
    }
  }

  private attachController(response: Response, controller: AbortController): void {
    if (!response.body) this.controllers.delete(controller);
    else this.responseControllers.set(response, controller);
  }

  /** A GET response is done with: its controller no longer needs aborting on close. */
  private async release(response: Response, cancel: boolean): Promise<void> {
    const controller = this.responseControllers.get(response);
    if (controller) this.controllers.delete(controller);
    if (cancel) await response.body?.cancel().catch(() => undefined);
  }

  // ── reading and handing on ─────────────────────────────────────────────────────────────

  /** Reads one SSE body to its end; returns the error if the connection broke instead. */
  private async readSse(response: Response, stream: StreamState, via: string): Promise<unknown> {
    const parser = new SseParser(
      {
        onEvent: (event) => {
          if (event.event !== 'message' || event.data.trim() === '') return; // priming events carry no message
          stream.messages++;
          this.deliver(event.data, via);
        },
        onRetry: (ms) => (stream.retryMs = Math.min(ms, MAX_BACKOFF_MS)),
      },
      stream.lastEventId,
    );
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    try {
      for (;;) {
        while (this.paused && this.live) await new Promise<void>((wake) => this.resumeWaiters.push(wake));
        const { done, value } = await reader.read();
        if (done) break;
        parser.push(value);
      }
      parser.end();
      return undefined;
    } catch (error) {
      return error;
    } finally {
      stream.lastEventId = parser.lastEventId;
      void this.release(response, false);
    }
  }

  /** One JSON text from the server: a message, or a batch handed on as one line per element. */
  private deliver(text: string, via: string): void {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      this.log(`MCP server "${this.spec.name}" at ${this.where} sent ${text.length} characters that are not JSON (${via}); dropped`);
      return;
    }
    if (Array.isArray(value)) {
      for (const element of value as unknown[]) this.emit(JSON.stringify(element), element);
    } else {
      // Passed on untouched unless line breaks inside would split it.
      this.emit(/[\r\n]/.test(text) ? JSON.stringify(value) : text, value);
    }
  }

  private emit(line: string, value: unknown): void {
    if (!this.live) return;
    if (isObject(value) && value['method'] === undefined && isRequestId(value['id'])) {
      const request = this.inflight.get(idKey(value['id']));
      if (request) {
        request.answered = true;
        const result = value['result'];
        if (request.method === 'initialize' && isObject(result) && typeof result['protocolVersion'] === 'string') {
          this.headers.negotiatedVersion = result['protocolVersion'];
        }
      }
    }
    this.events?.onData(Buffer.from(line + '\n', 'utf8'));
  }

  // ── failures ───────────────────────────────────────────────────────────────────────────

  private withoutCredentials(request: Inflight | undefined, method: string | undefined, error: HeaderSourceError): void {
    if (request) this.fail(request, this.scrub(error.message));
    else this.log(`${this.scrub(error.message)}; ${method ?? 'a response'} was not delivered`);
  }

  private unreachable(request: Inflight | undefined, method: string | undefined, error: unknown): void {
    if (!this.live) return;
    const why = describeNetworkError(error, this.scrub);
    const text = `could not reach MCP server "${this.spec.name}" at ${this.where}: ${why}`;
    if (request) this.fail(request, `${text}; check that the server is running and the URL is right, then try again`);
    else this.log(`${text}; ${method ?? 'a response'} was not delivered`);
    if (!this.reached) this.exit({ reason: text, failedToStart: true });
  }

  private async httpFailure(request: Inflight | undefined, method: string | undefined, response: Response): Promise<void> {
    const body = await readLimited(response, ERROR_BODY_LIMIT);
    const status = response.status;
    let serverMessage: string | undefined;
    try {
      const parsed: unknown = JSON.parse(body);
      // The server's own JSON-RPC answer to this request is the most faithful thing to pass on.
      if (request && isObject(parsed) && parsed['id'] === request.id && ('error' in parsed || 'result' in parsed)) this.deliver(body, method!);
      const error = isObject(parsed) ? parsed['error'] : undefined;
      if (isObject(error) && typeof error['message'] === 'string') serverMessage = error['message'];
    } catch {
      // not JSON: the status says enough
    }
    const said = serverMessage ? ` (the server said: ${JSON.stringify(this.scrub(serverMessage.slice(0, 200)))})` : '';
    const what = `MCP server "${this.spec.name}" at ${this.where} answered HTTP ${status}${this.scrub(statusText(response))} to ${method ?? 'a response'}${said}`;
    if (status === 404 && this.headers.sessionId !== undefined && method !== 'initialize') {
      // The session expired. The spec's remedy is a new initialize from the client, and only the
      // client can give one honestly: its capabilities, log level, subscriptions and the server's
      // state belonged to the old session, and a new one may negotiate another version or tool
      // set than the client was told. So the request gets an error and the upstream ends; the
      // client sees its server exit, and reconnecting (a new `mcp-guard run`) starts a session
      // with the client's own initialize.
      this.headers.sessionId = undefined;
      const reason = `MCP server "${this.spec.name}" at ${this.where} ended the session (HTTP 404); reconnect the server in your MCP client to start a new one`;
      if (request) this.fail(request, reason);
      this.exit({ reason, failedToStart: false });
      return;
    }
    if (!request) return this.log(`${what}; not delivered`);
    if (method === 'server/discover' && this.headers.sessionId === undefined && [400, 404, 405].includes(status)) {
      // A server of the initialize revisions refuses a session-less non-initialize POST with HTTP 400;
      // over stdio the same server answers -32601, which is what makes a client fall back to initialize.
      return this.fail(request, `Method not found: ${what}; this server needs initialize`, ErrorCode.MethodNotFound);
    }
    this.fail(request, `${what}; ${advice(status, response.headers.get('location'))}`, ErrorCode.ServerUnavailable, { httpStatus: status });
  }

  private fail(request: Inflight, message: string, code: number = ErrorCode.ServerUnavailable, data?: unknown): void {
    if (request.answered || request.cancelled || !this.live) return;
    request.answered = true;
    this.events?.onData(Buffer.from(errorResponse(request.id, code, message, data) + '\n', 'utf8'));
  }

  private exit(exit: UpstreamExit): void {
    if (this.exited || this.closed) return;
    this.exited = true;
    this.stopAll();
    this.events?.onExit(exit);
  }

  // ── plumbing ───────────────────────────────────────────────────────────────────────────

  private get live(): boolean {
    return !this.exited && !this.closed && this.target !== undefined;
  }

  private track(id: RequestId, method: string): Inflight {
    const request: Inflight = { id, method, answered: false, cancelled: false };
    this.inflight.set(idKey(id), request);
    return request;
  }

  private noteCancelled(message: JsonObject): void {
    const params = message['params'];
    const id = isObject(params) ? params['requestId'] : undefined;
    const request = isRequestId(id) ? this.inflight.get(idKey(id)) : undefined;
    if (request) request.cancelled = true; // the server need not answer; no error of ours either
  }

  private controller(): AbortController {
    const controller = new AbortController();
    this.controllers.add(controller);
    return controller;
  }

  private stopAll(): void {
    for (const controller of this.controllers) controller.abort();
    this.controllers.clear();
    for (const wake of this.sleepers) wake();
    this.sleepers.clear();
    this.onUnauthorized?.close();
    this.resume();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const wake = (): void => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }

  /** Removes anything secret (header values, URL credentials and query) from text we did not write. */
  private readonly scrub = (text: string): string => {
    let out = text;
    for (const secret of this.secrets) if (secret) out = out.split(secret).join('[redacted]');
    return out;
  };
}

function backoff(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), MAX_BACKOFF_MS);
}

function contentType(response: Response): string {
  return (response.headers.get('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
}
