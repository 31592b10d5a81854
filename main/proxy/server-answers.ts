/**
 * What the server sends, on its way to the client: every line is parsed and classified; answers
 * are matched to the requests in flight (an answer to none is dropped), `tools/list` answers go
 * past the tool-list guard, handshake answers are noted, and a tool call's answer is recorded once
 * it is on its way. A long line streamed through (./transport/server-stream.ts) is ended here, once
 * its scan says whose answer it is (./streamed-line.ts). The client → server half is ./guard-proxy.ts.
 */
import type { Logger } from '../common/logger.js';
import type { CallOutcome } from './call-record.js';
import { mayStream, type CallState, type InFlight, type Pending } from './in-flight.js';
import { classify, ErrorCode, errorResponse, isObject, isRequestId, MAX_NESTING, nestedDeeperThan, type JsonObject } from './json-rpc.js';
import { readStreamedLine } from './streamed-line.js';
import type { ToolListGuard } from './tool-list-guard.js';
import type { ClientWriter } from './transport/client-writer.js';
import type { TopLevelScanner } from './transport/top-level-scanner.js';

export type ServerAnswersParts = {
  log: Logger;
  writer: ClientWriter;
  inFlight: InFlight;
  lists: ToolListGuard;
  reply: (line: string) => void;
  record: (pending: Pending, call: CallState, outcome: CallOutcome) => void;
  /** The client's initialize or server/discover was answered: the guard may now get ready. */
  handshakeAnswered: () => void;
};

export class ServerAnswers {
  constructor(private readonly o: ServerAnswersParts) {}

  /** A whole line from the server. */
  onServerLine(line: Buffer): void {
    try {
      this.onServerLineParsed(line);
    } catch (error) {
      this.o.log.log('error', `could not handle a server message; not forwarded: ${String(error)}`);
    }
  }

  private onServerLineParsed(line: Buffer): void {
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      this.o.log.log('warn', 'server sent a line that is not JSON; not forwarded', { bytes: line.length });
      return;
    }
    if (nestedDeeperThan(value, MAX_NESTING)) {
      this.o.log.log('warn', `server sent a message nested deeper than ${MAX_NESTING} levels; not forwarded`, { bytes: line.length });
      for (const message of Array.isArray(value) ? value : [value]) {
        const pending = isObject(message) && isRequestId(message['id']) ? this.o.inFlight.take(message['id']) : undefined;
        if (pending && !pending.internal)
          this.o.reply(errorResponse(pending.id, ErrorCode.InternalError, `the server's answer nests deeper than MCP Guard's limit of ${MAX_NESTING} levels`));
      }
      return;
    }
    if (Array.isArray(value)) {
      for (const element of value) this.onServerMessage(element, Buffer.from(JSON.stringify(element)));
      return;
    }
    this.onServerMessage(value, line);
  }

  private onServerMessage(value: unknown, line: Buffer): void {
    const m = classify(value);
    if (m.kind === 'invalid') {
      this.o.log.log('warn', `server sent an invalid JSON-RPC message; not forwarded: ${m.reason}`);
      return;
    }
    if (m.kind !== 'response') {
      this.o.writer.writeLine(asSent(line, m.message));
      if (m.kind === 'notification' && m.method === 'notifications/tools/list_changed') this.o.lists.recheck();
      return;
    }
    const pending = this.o.inFlight.take(m.id);
    if (!pending) {
      // No request of the client's is in flight under this id, so none can be answered by it: one
      // still on its way to the server (unread, or waiting for the policy to load) would otherwise
      // take an answer the guard never read, an unfiltered tool list among them.
      this.o.log.log('warn', 'server answered a request that is not in flight; not forwarded', { id: m.id });
      return;
    }
    if (pending.internal) return this.o.lists.onRecheckAnswer(pending, m.message);
    if (pending.method === 'tools/list') return this.o.writer.writeLine(this.o.lists.filtered(pending, m.message));
    const handshake = pending.method === 'initialize' || pending.method === 'server/discover';
    if (handshake) this.o.lists.noteHandshake(m.message);
    this.o.writer.writeLine(asSent(line, m.message));
    if (handshake) setImmediate(() => this.o.handshakeAnswered());
    // Accounted for after the answer is on its way to the client, off the call's critical path.
    if (pending.call) this.finishCall(pending, pending.call, m.message, line.length);
  }

  /**
   * A long line was streamed through but for its closing byte: end it, if it is a request or
   * notification of the server's or the answer to a request whose answer may be streamed. Else
   * withhold that byte (the client then drops the line as broken JSON) and answer with an error the
   * requests it may have been meant for: those it names, and every request whose answer must be
   * read whole (none was in flight when the line began, or it would not have been streamed). A
   * line begun before the client's `tools/list` reached the server and ended with that request's
   * id is such a line: the client never sees an unfiltered listing.
   */
  onStreamedLine(head: Buffer, tail: Buffer, size: number, shape: TopLevelScanner): void {
    const line = readStreamedLine(shape);
    const pending = line.kind === 'answer' ? this.o.inFlight.get(line.id) : undefined;
    if (line.kind === 'message') return this.endStreamedLine(undefined, false, head, tail, size);
    if (line.kind === 'answer' && pending && mayStream(pending)) return this.endStreamedLine(pending, line.isProtocolError, head, tail, size);
    this.o.writer.endStream(WITHHELD);
    const why =
      line.kind === 'unvouched'
        ? line.why
        : pending
          ? `it answers a ${pending.method} request, whose answer MCP Guard reads whole`
          : 'it answers no request in flight';
    this.o.log.log(
      'warn',
      `server sent a message of ${size} bytes that MCP Guard cannot vouch for (${why}); its last byte was withheld, so the client drops it`,
    );
    const named = line.kind === 'unvouched' ? line.ids : line.kind === 'answer' ? [line.id] : [];
    const targets = new Set([...named.map((id) => this.o.inFlight.get(id)), ...this.o.inFlight.readWhole()]);
    for (const target of targets) {
      if (!target) continue;
      this.o.inFlight.take(target.id);
      if (target.internal) continue;
      this.o.reply(
        errorResponse(
          target.id,
          ErrorCode.InternalError,
          `MCP Guard withheld a server message that may have been meant as the answer to ${target.method}: ${why}`,
        ),
      );
      if (target.call) this.o.record(target, target.call, { kind: 'protocol-error', code: ErrorCode.InternalError, sizeBytes: size });
    }
  }

  private endStreamedLine(pending: Pending | undefined, protocolError: boolean, head: Buffer, tail: Buffer, size: number): void {
    this.o.writer.endStream(CLOSING_BRACE);
    if (!pending) return;
    this.o.inFlight.take(pending.id);
    if (!pending.call) return;
    const isError = IS_ERROR.test(tail.toString('latin1')) || IS_ERROR.test(head.toString('latin1'));
    this.o.record(
      pending,
      pending.call,
      protocolError ? { kind: 'protocol-error', code: 0, sizeBytes: size } : { kind: isError ? 'tool-error' : 'ok', sizeBytes: size },
    );
  }

  private finishCall(pending: Pending, call: CallState, message: JsonObject, sizeBytes: number): void {
    const result = message['result'];
    const error = message['error'];
    let outcome: CallOutcome;
    if (isObject(error)) outcome = { kind: 'protocol-error', code: typeof error['code'] === 'number' ? error['code'] : 0, sizeBytes };
    else outcome = { kind: isObject(result) && result['isError'] === true ? 'tool-error' : 'ok', sizeBytes };
    if (isObject(result) && result['resultType'] === 'input_required' && typeof result['requestState'] === 'string') {
      this.o.inFlight.expectContinuation(result['requestState'], call.tool, call.arguments);
    }
    this.o.inFlight.continuationUsed(call.requestState);
    this.o.record(pending, call, outcome);
  }
}

/**
 * A server line as it may go to the client: its own bytes, unless it holds a carriage return (JSON
 * allows one as white space between tokens), which a client that also splits lines on `\r` would
 * read as two messages; then the guard's re-serialisation, which has none.
 */
function asSent(line: Buffer, message: JsonObject): Buffer | string {
  return line.indexOf(0x0d) === -1 ? line : JSON.stringify(message);
}

const CLOSING_BRACE = Buffer.from('}');
/** What ends a streamed line that is withheld: a control character, invalid anywhere in JSON. */
const WITHHELD = Buffer.from('\x01');
const IS_ERROR = /"isError"\s*:\s*true/;
