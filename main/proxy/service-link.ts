/**
 * The proxy's side of the local socket to the guard service: hello with the token, held calls
 * to decide, audit events to record. Reconnects with backoff when the service restarts; while it
 * is away, decisions fail (the caller denies: fail closed) and events go to the spool.
 * The client session is the service's to issue: it comes in `welcome`, with a secret to resume it
 * after a dropped connection, which stays in this process's memory only.
 * Every line from the service is checked against `ServiceMessage` before anything acts on it; one
 * that does not fit drops the connection as if the service had gone (fail closed), then reconnects.
 */
import { readFileSync } from 'node:fs';
import { createConnection, type Socket } from 'node:net';
import type { Grant } from '../../shared/grant.js';
import type {
  HeldCall,
  HeldCallAnswer,
  ProxyAuditEvent,
  ClientIdentity,
  ProxyMessage,
  ProxyServerIdentity,
  ServiceMessage,
} from '../../shared/proxy-protocol.js';
import type { Logger } from '../common/logger.js';
import { LineSplitter } from '../common/line-splitter.js';
import { formatPath, type SchemaProblem } from '../policy/schema-problems.js';
import type { parseServiceMessage } from './service-message-problems.js';
import type { Spool } from '../audit/spool.js';

export class ServiceUnavailableError extends Error {}

export type ServiceLinkOptions = {
  socketPath: string;
  tokenPath: string;
  server: ProxyServerIdentity;
  client: () => ClientIdentity;
  spool: Spool;
  log: Logger;
  onChanged: (what: 'policy' | 'pins') => void;
  /** The service's grants for this proxy, replacing the previous list (empty when disconnected). */
  onGrants: (grants: Grant[]) => void;
  /** The client session the service issued on (re)connecting: the same one when it was resumed. */
  onSession: (sessionId: string) => void;
  onDisable: (reason: string) => void;
};

const BATCH_MAX = 500;
const FLUSH_DELAY_MS = 5;
const RETRY_MIN_MS = 100;
const RETRY_MAX_MS = 2000;

export class ServiceLink {
  private socket: Socket | undefined;
  private welcomed = false;
  private corr = 0;
  private retryMs = RETRY_MIN_MS;
  private closed = false;
  /**
   * The check of every message from the service (validators compiled from ServiceMessage), loaded
   * once this proxy reaches the service: a proxy with no service to talk to never loads it.
   */
  /** The client identity the last hello named (the tracker keeps one object per identity). */
  private helloClient: unknown;
  private parse: typeof parseServiceMessage | undefined;
  private parserLoading: Promise<void> | undefined;
  private readonly decisions = new Map<number, { resolve: (a: HeldCallAnswer) => void; reject: (e: Error) => void }>();
  private readonly unacked = new Map<number, ProxyAuditEvent[]>();
  private queued: ProxyAuditEvent[] = [];
  private flushScheduled = false;
  private replayCorr: number | undefined;
  private drained: (() => void) | undefined;
  /** The secret from the last welcome that resumes this proxy's session; it goes nowhere but to the service. */
  private resume: string | undefined;

  /** The first connection attempt has not yet succeeded or failed. */
  private firstAttempt = true;
  private firstAttemptDone: () => void = () => undefined;
  private readonly firstAttemptOver = new Promise<void>((resolve) => (this.firstAttemptDone = resolve));

  constructor(private readonly o: ServiceLinkOptions) {}

  get connected(): boolean {
    return this.welcomed;
  }

  /** True while the proxy has just started and does not know yet whether the service is there. */
  get connecting(): boolean {
    return this.firstAttempt;
  }

  /** Resolves when the first attempt is over (welcomed or failed), at most after `timeoutMs`. */
  firstAttemptSettled(timeoutMs = 2000): Promise<void> {
    return Promise.race([this.firstAttemptOver, new Promise<void>((resolve) => setTimeout(resolve, timeoutMs).unref())]);
  }

  private endFirstAttempt(): void {
    if (!this.firstAttempt) return;
    this.firstAttempt = false;
    this.firstAttemptDone();
  }

  start(): void {
    this.connect();
  }

  decide(call: HeldCall): Promise<HeldCallAnswer> {
    if (!this.welcomed) return Promise.reject(new ServiceUnavailableError('MCP Guard is not running'));
    const corr = this.corr++;
    return new Promise((resolve, reject) => {
      this.decisions.set(corr, { resolve, reject });
      this.send({ type: 'decide', corr, call });
    });
  }

  /** Queues an event; queued events go out together a few milliseconds later (one write, not one per call). */
  record(event: ProxyAuditEvent): void {
    this.queued.push(event);
    if (this.flushScheduled) return;
    this.flushScheduled = true;
    setTimeout(() => this.flush(), FLUSH_DELAY_MS).unref();
  }

  clientChanged(): void {
    if (this.welcomed) this.send({ type: 'client', client: this.o.client() });
  }

  /** Waits (bounded) for the service to acknowledge what was sent; the rest goes to the spool. */
  async close(timeoutMs = 1000): Promise<void> {
    this.closed = true;
    this.flush();
    if (this.unacked.size > 0 && this.welcomed) {
      await new Promise<void>((resolve) => {
        this.drained = resolve;
        setTimeout(resolve, timeoutMs).unref();
      });
    }
    this.spoolUnacked();
    // Ends the session now rather than when the service's resume window runs out.
    if (this.welcomed) this.socket?.end(JSON.stringify({ type: 'bye' } satisfies ProxyMessage) + '\n');
    else this.socket?.destroy();
    await this.o.spool.flush();
  }

  private connect(): void {
    if (this.closed) return;
    let token: string;
    try {
      token = readFileSync(this.o.tokenPath, 'utf8').trim();
    } catch {
      return this.retryLater();
    }
    const socket = createConnection(this.o.socketPath);
    this.socket = socket;
    const splitter = new LineSplitter(16 * 1024 * 1024, {
      onLine: (l) => this.onLine(socket, l),
      onOversize: () => this.refuse(socket, [{ path: formatPath([]), message: 'longer than 16 MiB' }]),
    });
    socket.on('connect', () => {
      // Started early; its failure is handled where the first line waits for it.
      this.loadParser().catch(() => undefined);
      const hello: ProxyMessage = {
        type: 'hello',
        protocol: 2, // PROXY_PROTOCOL_VERSION, checked by the type; a value import would load zod on the proxy's path
        token,
        role: 'proxy',
        pid: process.pid,
        cwd: process.cwd(),
        ...(this.resume ? { resume: this.resume } : {}),
        server: this.o.server,
        client: (this.helloClient = this.o.client()),
      };
      socket.write(JSON.stringify(hello) + '\n');
    });
    socket.on('data', (chunk: Buffer) => {
      if (this.parse) return splitter.push(chunk);
      // Until the validator has loaded, lines wait in order (the service's welcome comes first).
      this.loadParser().then(
        () => splitter.push(chunk),
        (error: unknown) => {
          // Nothing from the service is believed unchecked: without the validator, no link.
          this.o.log.log('error', `could not load the check of the service's messages; not connecting: ${String(error)}`);
          socket.destroy();
        },
      );
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      if (socket === this.socket) this.onClose();
    });
  }

  private loadParser(): Promise<void> {
    return (this.parserLoading ??= import('./service-message-problems.js').then((m) => {
      this.parse = m.parseServiceMessage;
    }));
  }

  private onLine(socket: Socket, line: Buffer): void {
    // Lines still buffered from a connection this proxy dropped are not acted on.
    if (socket !== this.socket) return;
    let value: unknown;
    try {
      value = JSON.parse(line.toString('utf8'));
    } catch {
      return this.refuse(socket, [{ path: formatPath([]), message: 'not JSON' }]);
    }
    const parsed = this.parse!(value);
    if (!parsed.ok) return this.refuse(socket, parsed.problems);
    const m: ServiceMessage = parsed.message;
    switch (m.type) {
      case 'welcome':
        if (!m.session) {
          this.o.log.log('warn', 'the MCP Guard service issued no client session; reconnecting');
          return void this.socket?.destroy();
        }
        this.resume = m.session.resume;
        this.o.onSession(m.session.id);
        this.welcomed = true;
        // The client may have said it is someone else between the hello and now.
        if (this.o.client() !== this.helloClient) this.clientChanged();
        this.retryMs = RETRY_MIN_MS;
        this.endFirstAttempt();
        this.o.log.log('info', 'connected to the MCP Guard service');
        void this.replaySpool();
        return;
      case 'refused':
        this.o.log.log('warn', `the MCP Guard service refused this proxy: ${m.reason}`);
        return;
      case 'decision':
        this.decisions.get(m.corr)?.resolve({ decision: m.decision, ...(m.approval ? { approval: m.approval } : {}) });
        this.decisions.delete(m.corr);
        return;
      case 'recorded':
        for (const corr of [...this.unacked.keys()]) if (corr <= m.corr) this.unacked.delete(corr);
        if (this.replayCorr !== undefined && m.corr >= this.replayCorr) {
          this.replayCorr = undefined;
          void this.o.spool.remove();
        }
        if (this.unacked.size === 0) this.drained?.();
        return;
      case 'changed':
        return this.o.onChanged(m.what);
      case 'grants':
        return this.o.onGrants(m.grants);
      case 'disable':
        return this.o.onDisable(m.reason);
      case 'status':
        return;
    }
  }

  /**
   * A message that is not a `ServiceMessage`: nothing in it is acted on, and the connection is
   * dropped now, as if the service had gone: held calls are denied, grants forgotten, and the link
   * reconnects. The log names the fields, not their values (a message may carry grants or arguments).
   */
  private refuse(socket: Socket, problems: readonly SchemaProblem[]): void {
    if (socket !== this.socket) return;
    this.o.log.log(
      'error',
      'the MCP Guard service sent a message this proxy does not accept; dropping the connection, and denying calls that wait for approval',
      {
        problems: problems.map((p) => `${p.path}: ${p.message}`).join('; '),
      },
    );
    socket.destroy();
    this.onClose('the MCP Guard service sent a message this proxy does not accept');
  }

  private onClose(reason = 'MCP Guard stopped while the call waited for approval'): void {
    const wasWelcomed = this.welcomed;
    this.welcomed = false;
    // Grants are the service's: without it, none is honoured (an ask is denied, fail closed).
    if (wasWelcomed) this.o.onGrants([]);
    this.socket = undefined;
    for (const { reject } of this.decisions.values()) reject(new ServiceUnavailableError(reason));
    this.decisions.clear();
    this.spoolUnacked();
    if (wasWelcomed) this.o.log.log('warn', 'lost the MCP Guard service; reconnecting');
    this.retryLater();
  }

  private retryLater(): void {
    this.endFirstAttempt();
    if (this.closed) return;
    setTimeout(() => this.connect(), this.retryMs).unref();
    this.retryMs = Math.min(this.retryMs * 2, RETRY_MAX_MS);
  }

  private flush(): void {
    this.flushScheduled = false;
    if (!this.welcomed) {
      this.o.spool.append(this.queued);
      this.queued = [];
      return;
    }
    while (this.queued.length > 0) {
      const events = this.queued.splice(0, BATCH_MAX);
      const corr = this.corr++;
      this.unacked.set(corr, events);
      this.send({ type: 'events', corr, events });
    }
  }

  private async replaySpool(): Promise<void> {
    const spooled = await this.o.spool.read();
    if (spooled.length === 0) return this.o.spool.remove();
    if (!this.welcomed) return;
    for (let i = 0; i < spooled.length; i += BATCH_MAX) {
      const corr = this.corr++;
      this.send({ type: 'events', corr, events: spooled.slice(i, i + BATCH_MAX) });
      this.replayCorr = corr;
    }
  }

  private spoolUnacked(): void {
    const pending = [...this.unacked.values()].flat().concat(this.queued);
    this.unacked.clear();
    this.queued = [];
    if (pending.length > 0) this.o.spool.append(pending);
  }

  private send(message: ProxyMessage): void {
    this.socket?.write(JSON.stringify(message) + '\n');
  }
}
