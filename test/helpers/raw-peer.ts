/**
 * A raw newline-delimited JSON-RPC peer over a child's stdio: what an MCP client does, with no
 * SDK in between, so tests see exactly the bytes the proxy (or a server) sends.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- test peer reads arbitrary JSON-RPC

export class RawPeer {
  readonly child: ChildProcessWithoutNullStreams;
  readonly received: Json[] = [];
  readonly rawLines: string[] = [];
  stderr = '';
  private buffer = '';
  private waiters: Array<{ match: (m: Json) => boolean; resolve: (m: Json) => void }> = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;

  constructor(command: string, args: readonly string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { env, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout.setEncoding('utf8');
    this.child.stdout.on('data', (chunk: string) => this.onData(chunk));
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('data', (chunk: string) => (this.stderr += chunk));
    this.child.stdin.on('error', () => undefined);
    this.exited = new Promise((resolve) => this.child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  send(message: Json | Json[] | string): void {
    this.child.stdin.write((typeof message === 'string' ? message : JSON.stringify(message)) + '\n');
  }

  request(id: number | string, method: string, params?: Json): Promise<Json> {
    this.send({ jsonrpc: '2.0', id, method, ...(params ? { params } : {}) });
    return this.waitFor((m) => m.id === id && !('method' in m), `response to ${method} #${id}`);
  }

  notify(method: string, params?: Json): void {
    this.send({ jsonrpc: '2.0', method, ...(params ? { params } : {}) });
  }

  /** Resolves with the first message (already received or to come) that matches. */
  waitFor(match: (m: Json) => boolean, what = 'message', timeoutMs = 10_000): Promise<Json> {
    const found = this.received.find(match);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out waiting for ${what}; stderr: ${this.stderr.slice(-2000)}`)), timeoutMs);
      this.waiters.push({ match, resolve: (m) => (clearTimeout(timer), resolve(m)) });
    });
  }

  async initialize(protocolVersion = '2025-06-18', capabilities: Json = {}): Promise<Json> {
    const response = await this.request('init', 'initialize', { protocolVersion, capabilities, clientInfo: { name: 'raw-test-client', version: '1.0.0' } });
    this.notify('notifications/initialized');
    return response;
  }

  closeStdin(): void {
    this.child.stdin.end();
  }

  private onData(chunk: string): void {
    this.buffer += chunk;
    let newline: number;
    while ((newline = this.buffer.indexOf('\n')) !== -1) {
      const line = this.buffer.slice(0, newline);
      this.buffer = this.buffer.slice(newline + 1);
      if (line.trim() === '') continue;
      this.rawLines.push(line);
      let message: Json;
      try {
        message = JSON.parse(line) as Json;
      } catch {
        continue;
      }
      this.received.push(message);
      this.waiters = this.waiters.filter((w) => {
        if (!w.match(message)) return true;
        w.resolve(message);
        return false;
      });
    }
  }
}
