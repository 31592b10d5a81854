/**
 * The guard proxy: client on one side (stdio), the real server on the other (an Upstream).
 * Every message passes through in order and unchanged, except `tools/call` (decided before it
 * is forwarded) and `tools/list` results (filtered). Client messages are parsed and forwarded
 * re-serialised from the parsed object, so the server sees exactly what the guard decided on.
 * What the server sends is handled by ./server-answers.ts.
 */
import type { Writable } from 'node:stream';
import type { Logger } from '../common/logger.js';
import type { CallOutcome, CallRecordSink } from './call-record.js';
import { ClientWriter } from './transport/client-writer.js';
import { ClientIdentityTracker } from './client-identity.js';
import type { GuardParts } from './guard-parts.js';
import type { Decider } from './decider.js';
import {
  classify,
  ErrorCode,
  errorResponse,
  idKey,
  imitatedMethod,
  isObject,
  MAX_NESTING,
  nestedDeeperThan,
  sniffId,
  type JsonObject,
  type RequestId,
} from './json-rpc.js';
import { InFlight, type CallState, type Pending } from './in-flight.js';
import { LineSplitter } from '../common/line-splitter.js';
import { ServerAnswers } from './server-answers.js';
import { ServerStream } from './transport/server-stream.js';
import { ToolCallGate } from './tool-call-gate.js';
import { ToolListGuard } from './tool-list-guard.js';
import type { Upstream, UpstreamExit } from './transport/upstream.js';

export type GuardProxyOptions = {
  server: string;
  upstream: Upstream;
  decider: Decider;
  records: CallRecordSink;
  log: Logger;
  input: NodeJS.ReadableStream;
  output: Writable;
  /** The descriptor behind `output`, for writing to it directly (see ClientWriter). */
  outputFd?: number;
  maxLineBytes: number;
  /** Server lines longer than this are streamed through rather than held whole. */
  streamAboveBytes?: number;
  /**
   * Makes the decider ready (loads policy, pins, the service link). Started once the handshake has
   * been answered, or by the first governed message if that comes first, so it never delays the
   * client's connect; governed messages wait for it, and every message after them.
   */
  prepare?: () => Promise<void>;
  /** The client said it is someone else (2026-07-28: any request's `_meta` may), for the service to learn. */
  onClientChange?: () => void;
  now?: () => number;
};

export class GuardProxy {
  private readonly writer: ClientWriter;
  private readonly identity = new ClientIdentityTracker();
  private readonly inFlight = new InFlight();
  private readonly gate: ToolCallGate;
  private readonly lists: ToolListGuard;
  private readonly answers: ServerAnswers;
  private readonly now: () => number;
  private upstreamGone: UpstreamExit | undefined;
  private finished: ((code: number) => void) | undefined;
  private readonly done: Promise<number>;
  private closing = false;
  private prepared = false;
  /** Client messages waiting for `ready`, in arrival order; undefined once ready. */
  private waiting: Buffer[] | undefined = [];

  constructor(private readonly o: GuardProxyOptions) {
    this.now = o.now ?? (() => performance.now());
    this.done = new Promise((resolve) => (this.finished = resolve));
    this.writer = new ClientWriter(o.output, (blocked) => (blocked ? o.upstream.pause() : o.upstream.resume()), o.outputFd);
    const parts: GuardParts = {
      server: o.server,
      decider: o.decider,
      inFlight: this.inFlight,
      log: o.log,
      client: () => this.identity.current,
      now: this.now,
      serverGone: () => this.upstreamGone,
      forward: (message) => this.forward(message),
    };
    this.lists = new ToolListGuard(parts);
    this.gate = new ToolCallGate({
      ...parts,
      reply: (line) => this.reply(line),
      record: (pending, call, outcome) => this.record(pending, call, outcome),
    });
    this.answers = new ServerAnswers({
      log: o.log,
      writer: this.writer,
      inFlight: this.inFlight,
      lists: this.lists,
      reply: (line) => this.reply(line),
      record: (pending, call, outcome) => this.record(pending, call, outcome),
      handshakeAnswered: () => this.ensurePrepared(),
    });
    if (!o.prepare) this.waiting = undefined;
  }

  private ensurePrepared(): void {
    if (this.prepared || !this.o.prepare) return;
    this.prepared = true;
    this.o.prepare().then(
      () => this.drainWaiting(),
      (error: unknown) => {
        this.o.log.log('error', `could not load policy; every tool call is denied: ${String(error)}`);
        this.drainWaiting();
      },
    );
  }

  private drainWaiting(): void {
    const waiting = this.waiting ?? [];
    this.waiting = undefined;
    for (const line of waiting) this.onClientLine(line);
  }

  /** The client as it identified itself so far. */
  get client() {
    return this.identity.current;
  }

  /** Runs until the client goes away or the server does; resolves with the exit code. */
  run(): Promise<number> {
    const { o } = this;
    const fromClient = new LineSplitter(o.maxLineBytes, {
      onLine: (line) => this.onClientLine(line),
      onOversize: (head, size) => this.onOversize('client', head, size),
    });
    const fromServer = new ServerStream(o.streamAboveBytes ?? 256 * 1024, o.maxLineBytes, {
      onLine: (line) => this.answers.onServerLine(line),
      onOversize: (head, size) => this.onOversize('server', head, size),
      shouldStream: () => this.inFlight.readWholePending === 0,
      beginStream: (head) => this.writer.beginStream(head),
      streamChunk: (chunk, lent) => this.writer.streamChunk(chunk, lent),
      endStream: (head, tail, size, shape) => this.answers.onStreamedLine(head, tail, size, shape),
    });
    o.upstream.start({
      onData: (chunk, lent) => fromServer.push(chunk, lent),
      onExit: (exit) => {
        fromServer.end();
        this.onUpstreamExit(exit);
      },
      onDrain: () => o.input.resume(),
    });
    o.input.on('data', (chunk: Buffer) => fromClient.push(chunk));
    o.input.on('end', () => {
      fromClient.end();
      void this.shutdown(0);
    });
    o.input.on('error', () => void this.shutdown(0));
    // Nothing more can reach the client. EPIPE: it stopped reading, so it is gone, as when it
    // closes stdin; any other failure (EIO, ENOSPC) is one, and the exit code says so.
    o.output.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') this.o.log.log('error', `could not write to the client: ${error.message}`);
      void this.shutdown(error.code === 'EPIPE' ? 0 : 1);
    });
    return this.done;
  }

  /** Ends the server and resolves `run()` with `code`. */
  async shutdown(code: number): Promise<void> {
    const finish = this.finished;
    if (!finish) return;
    this.finished = undefined;
    this.closing = true;
    await this.o.upstream.close();
    // A server that never came up or failed on its own fails the proxy, even if the client left first.
    const gone = this.upstreamGone;
    const serverFailed = gone !== undefined && (gone.failedToStart || (gone.code !== undefined && gone.code !== null && gone.code !== 0));
    finish(code === 0 && serverFailed ? 1 : code);
  }

  // ── client → server ────────────────────────────────────────────────────────────────────

  private onClientLine(line: Buffer): void {
    if (this.waiting && (this.waiting.length > 0 || isGoverned(line))) {
      this.waiting.push(line);
      this.ensurePrepared();
      return;
    }
    try {
      this.onClientMessage(line);
    } catch (error) {
      // Bad input of any shape is refused, never fatal: the session goes on.
      this.o.log.log('error', `could not handle a client message; not forwarded: ${String(error)}`);
      const text = line.toString('latin1');
      const id = sniffId(text.slice(0, 4096), text.slice(-4096));
      if (id !== undefined) this.reply(errorResponse(id, ErrorCode.InternalError, 'MCP Guard could not handle this message; it was not forwarded'));
    }
  }

  private onClientMessage(line: Buffer): void {
    const text = line.toString('utf8');
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      const id = sniffId(text.slice(0, 4096), text.slice(-4096));
      this.o.log.log('warn', 'client sent a line that is not JSON; not forwarded', { bytes: line.length });
      if (id !== undefined) this.reply(errorResponse(id, ErrorCode.ParseError, 'Parse error: the message is not valid JSON'));
      return;
    }
    if (Array.isArray(value)) return this.refuseBatch(value);
    const m = classify(value);
    if (m.kind !== 'invalid' && nestedDeeperThan(m.message, MAX_NESTING)) {
      this.o.log.log('warn', `client sent a message nested deeper than ${MAX_NESTING} levels; not forwarded`, { bytes: line.length });
      if (m.kind === 'request')
        this.reply(errorResponse(m.id, ErrorCode.InvalidRequest, `Invalid Request: the message nests deeper than MCP Guard's limit of ${MAX_NESTING} levels`));
      return;
    }
    if (m.kind === 'request' || m.kind === 'notification') {
      const imitated = imitatedMethod(m.method);
      if (imitated !== undefined) {
        this.o.log.log('warn', `client sent method ${JSON.stringify(m.method)}, which imitates "${imitated}"; not forwarded`);
        if (m.kind === 'request')
          this.reply(
            errorResponse(
              m.id,
              ErrorCode.InvalidRequest,
              `Invalid Request: method ${JSON.stringify(m.method)} is not "${imitated}"; MCP Guard does not forward look-alikes of the methods it governs`,
            ),
          );
        return;
      }
    }
    switch (m.kind) {
      case 'invalid':
        this.o.log.log('warn', `client sent an invalid JSON-RPC message; not forwarded: ${m.reason}`);
        if (m.id !== undefined) this.reply(errorResponse(m.id, ErrorCode.InvalidRequest, `Invalid Request: ${m.reason}`));
        return;
      case 'request':
        return this.onClientRequest(m.id, m.method, m.message);
      case 'notification':
        return this.onClientNotification(m.method, m.message);
      case 'response':
        this.forward(m.message);
        return;
    }
  }

  private onClientRequest(id: RequestId, method: string, message: JsonObject): void {
    const key = idKey(id);
    if (this.inFlight.has(id) || this.gate.holds(key)) {
      this.reply(errorResponse(id, ErrorCode.InvalidRequest, `Invalid Request: id ${JSON.stringify(id)} is already in use by a request in flight`));
      return;
    }
    if (this.identity.observe(method, message['params'])) this.o.onClientChange?.();
    this.lists.noteRequest(message['params']);
    if (this.upstreamGone) {
      this.reply(errorResponse(id, ErrorCode.ServerUnavailable, this.upstreamGone.reason));
      return;
    }
    if (method === 'tools/call') return this.gate.admit(id, key, message);
    const pending: Pending = { id, method, startedAt: this.now() };
    if (method === 'tools/list' && isObject(message['params']) && typeof message['params']['cursor'] === 'string') pending.cursor = message['params']['cursor'];
    this.inFlight.add(pending);
    this.forward(message);
  }

  private onClientNotification(method: string, message: JsonObject): void {
    if (method === 'notifications/cancelled') {
      const params = isObject(message['params']) ? message['params'] : {};
      if (this.gate.cancelHeld(params['requestId'])) return;
    }
    // A call without an id would run undecided on a server that dispatches by method alone.
    if (method === 'tools/call') return this.gate.refuseNotification(message);
    this.forward(message);
  }

  private refuseBatch(batch: unknown[]): void {
    this.o.log.log('warn', 'client sent a JSON-RPC batch; refused (MCP does not use batches)', { size: batch.length });
    const errors: unknown[] = [];
    for (const element of batch) {
      const m = classify(element);
      const id = m.kind === 'request' || m.kind === 'invalid' ? m.id : undefined;
      if (id === undefined) continue;
      errors.push(
        JSON.parse(
          errorResponse(id, ErrorCode.InvalidRequest, 'Invalid Request: MCP Guard does not forward JSON-RPC batches; send each message on its own line'),
        ),
      );
    }
    if (errors.length > 0) this.reply(JSON.stringify(errors));
  }

  private forward(message: JsonObject): void {
    if (this.upstreamGone) return;
    if (!this.o.upstream.send(message, JSON.stringify(message))) this.o.input.pause();
  }

  private reply(line: string): void {
    this.writer.writeLine(line);
  }

  // ── faults ─────────────────────────────────────────────────────────────────────────────

  private onOversize(from: 'client' | 'server', head: Buffer, size: number): void {
    const text = head.toString('latin1');
    const id = sniffId(text, '');
    this.o.log.log('warn', `${from} sent a message of ${size} bytes, over the ${this.o.maxLineBytes}-byte limit; not forwarded`);
    if (id === undefined) return;
    const message = `Invalid Request: message of ${size} bytes exceeds MCP Guard's limit of ${this.o.maxLineBytes} bytes`;
    if (from === 'client') return this.reply(errorResponse(id, ErrorCode.InvalidRequest, message));
    const pending = this.inFlight.take(id);
    if (pending)
      this.reply(
        errorResponse(pending.id, ErrorCode.InternalError, `the server's answer of ${size} bytes exceeds MCP Guard's limit of ${this.o.maxLineBytes} bytes`),
      );
  }

  private onUpstreamExit(exit: UpstreamExit): void {
    if (this.upstreamGone) return;
    this.upstreamGone = exit;
    this.o.log.log(exit.failedToStart ? 'error' : this.closing ? 'info' : 'warn', exit.reason);
    for (const pending of this.inFlight.takeAll()) {
      if (pending.internal) continue;
      this.reply(errorResponse(pending.id, ErrorCode.ServerUnavailable, `${exit.reason} before answering ${pending.method}`));
      if (pending.call) this.record(pending, pending.call, { kind: 'server-exited' });
    }
    // Requests already on their way still get a clear answer; then the proxy ends.
    const grace = exit.failedToStart ? 1000 : 100;
    setTimeout(() => void this.shutdown(1), grace).unref();
  }

  private record(pending: Pending, call: CallState, outcome: CallOutcome): void {
    this.o.records.record({
      requestId: pending.id,
      server: this.o.server,
      tool: call.tool,
      arguments: call.arguments,
      client: this.identity.current,
      decision: call.decision,
      decisionMs: call.decidedAt - pending.startedAt,
      totalMs: this.now() - pending.startedAt,
      outcome,
    });
  }
}

/** A cheap look for the methods the decider governs, before the decider is ready. */
function isGoverned(line: Buffer): boolean {
  const text = line.toString('latin1');
  return text.includes('tools/call') || text.includes('tools/list');
}
