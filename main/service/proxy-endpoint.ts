/**
 * The service's local endpoint for proxies: a Unix socket (Windows: a named pipe) in a private
 * directory, a random token in a 0600 file beside it, newline-delimited JSON messages checked
 * against shared/proxy-protocol.ts. A peer must say hello with the token before anything else,
 * then may send only what its role may (MESSAGES_BY_ROLE); a proxy gets its client session here.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { MESSAGES_BY_ROLE, ProxyMessage, PROXY_PROTOCOL_VERSION, type ServiceMessage } from '../../shared/proxy-protocol.js';
import type { GuardPaths } from '../store/guard-paths.js';
import type { Logger } from '../common/logger.js';
import { LineSplitter } from '../common/line-splitter.js';
import { ensurePrivateDirSync } from '../store/private-dir.js';
import type { ProxySessions } from './proxy-sessions.js';

const HELLO_TIMEOUT_MS = 5000;
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

export type Hello = Extract<ProxyMessage, { type: 'hello' }>;
type Request = Exclude<ProxyMessage, { type: 'hello' }>;

/** One authenticated peer. */
export class ProxyConnection {
  constructor(
    readonly hello: Hello,
    /** The client session the service issued to this proxy; undefined for a status peer. */
    readonly session: string | undefined,
    readonly since: Date,
    private readonly socket: Socket,
  ) {}

  send(message: ServiceMessage): void {
    if (!this.socket.destroyed) this.socket.write(JSON.stringify(message) + '\n');
  }

  close(): void {
    this.socket.end();
  }
}

export interface EndpointHandler {
  connected(connection: ProxyConnection): void;
  message(connection: ProxyConnection, message: Request): void;
  disconnected(connection: ProxyConnection): void;
}

export class ProxyEndpoint {
  private server: Server | undefined;
  private token = Buffer.alloc(0);
  private readonly connections = new Set<ProxyConnection>();

  constructor(
    private readonly paths: Pick<GuardPaths, 'runDir' | 'socket' | 'token'>,
    private readonly handler: EndpointHandler,
    private readonly log: Logger,
    private readonly sessions: ProxySessions,
  ) {}

  get peers(): readonly ProxyConnection[] {
    return [...this.connections];
  }

  async listen(): Promise<void> {
    ensurePrivateDirSync(this.paths.runDir);
    if (process.platform !== 'win32') {
      ensurePrivateDirSync(dirname(this.paths.socket));
      await this.removeStaleSocket();
    }
    this.token = Buffer.from(randomBytes(32).toString('base64url'));
    writeFileSync(this.paths.token, this.token, { mode: 0o600 });
    const server = createServer((socket) => this.accept(socket));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.paths.socket, () => resolve());
    });
    server.on('error', (error) => this.log.log('error', `proxy endpoint: ${error.message}`));
  }

  broadcast(message: ServiceMessage): void {
    for (const c of this.connections) c.send(message);
  }

  async close(): Promise<void> {
    for (const c of this.connections) c.close();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    if (process.platform !== 'win32') rmSync(this.paths.socket, { force: true });
  }

  private accept(socket: Socket): void {
    let connection: ProxyConnection | undefined;
    let refused = false;
    const refuse = (reason: string) => {
      if (refused) return;
      refused = true; // lines already read behind the refused one are not acted on
      this.log.log('warn', `proxy endpoint: refused a peer: ${reason}`);
      socket.end(JSON.stringify({ type: 'refused', reason } satisfies ServiceMessage) + '\n');
      socket.destroySoon();
    };
    const timer = setTimeout(() => refuse('no hello within 5 s'), HELLO_TIMEOUT_MS);
    const splitter = new LineSplitter(MAX_MESSAGE_BYTES, {
      onOversize: () => refuse('message over 16 MiB'),
      onLine: (line) => {
        if (refused) return;
        let parsed: ReturnType<typeof ProxyMessage.safeParse>;
        try {
          parsed = ProxyMessage.safeParse(JSON.parse(line.toString('utf8')));
        } catch {
          return refuse('a line that is not JSON');
        }
        if (!parsed.success) {
          const issue = parsed.error.issues[0];
          return refuse(`invalid message: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'unknown'}`);
        }
        const message = parsed.data;
        if (!connection) {
          if (message.type !== 'hello') return refuse('the first message must be hello');
          const why = this.checkHello(message);
          if (why) return refuse(why);
          const session = message.role === 'proxy' ? this.sessions.open({ pid: message.pid, server: message.server?.name, resume: message.resume }) : undefined;
          if (session && 'refused' in session) return refuse(session.refused);
          clearTimeout(timer);
          connection = new ProxyConnection(message, session?.id, new Date(), socket);
          this.connections.add(connection);
          connection.send({ type: 'welcome', protocol: PROXY_PROTOCOL_VERSION, ...(session ? { session } : {}) });
          this.handler.connected(connection);
          return;
        }
        if (message.type === 'hello') return refuse('hello was already said');
        const role = connection.hello.role;
        const allowed = MESSAGES_BY_ROLE[role];
        if (!allowed.includes(message.type))
          return refuse(`a "${role}" peer may not send "${message.type}" (it may send: ${allowed.join(', ')}); closing the connection`);
        this.handler.message(connection, message);
      },
    });
    socket.on('data', (chunk: Buffer) => splitter.push(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => {
      clearTimeout(timer);
      if (!connection) return;
      this.connections.delete(connection);
      if (connection.session) this.sessions.release(connection.session);
      this.handler.disconnected(connection);
    });
  }

  /** Why a hello is refused, or undefined when it may proceed. */
  private checkHello(hello: Hello): string | undefined {
    const given = Buffer.from(hello.token);
    if (given.length !== this.token.length || !timingSafeEqual(given, this.token)) return 'wrong token';
    const uid = processOwner(hello.pid);
    if (uid === -1) return `process ${hello.pid} is not running`;
    if (uid !== undefined && uid !== process.getuid?.()) return `process ${hello.pid} belongs to another user (uid ${uid})`;
    return undefined;
  }

  /** A socket file left by a service that died; one that answers belongs to a live service. */
  private async removeStaleSocket(): Promise<void> {
    const live = await new Promise<boolean>((resolve) => {
      const probe = createConnection(this.paths.socket);
      probe.once('connect', () => (probe.destroy(), resolve(true)));
      probe.once('error', () => resolve(false));
    });
    if (live) throw new Error(`another MCP Guard service is already running on ${this.paths.socket}`);
    rmSync(this.paths.socket, { force: true });
  }
}

/**
 * The real uid of a process, where the OS shows it (Linux /proc). Node offers no SO_PEERCRED,
 * so this checks the pid the peer claims; the 0700 directory is what keeps other users out.
 */
function processOwner(pid: number): number | undefined {
  if (process.platform !== 'linux') return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const uid = /^Uid:\s+(\d+)/m.exec(status)?.[1];
    return uid === undefined ? -1 : Number(uid);
  } catch {
    return -1; // no such process: a peer that names a pid that is not running is not believed
  }
}
