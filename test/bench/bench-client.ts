/**
 * A raw JSON-RPC client for benchmarks: newline framing with the proxy's own LineSplitter (one
 * copy per line), so the client side costs the same on the direct and the proxied path.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { readFileSync } from 'node:fs';
import { LineSplitter } from '../../main/common/line-splitter.js';

export class BenchClient {
  readonly child: ChildProcessByStdio<Writable, Readable, null>;
  private readonly waiting = new Map<number, (message: { result?: unknown; error?: unknown }) => void>();
  private nextId = 0;

  constructor(command: string, args: string[], env: NodeJS.ProcessEnv = process.env) {
    this.child = spawn(command, args, { stdio: ['pipe', 'pipe', 'ignore'], env });
    const splitter = new LineSplitter(1 << 30, {
      onLine: (line) => {
        const message = JSON.parse(line.toString('utf8')) as { id?: number; result?: unknown; error?: unknown };
        if (typeof message.id === 'number') this.waiting.get(message.id)?.(message);
      },
      onOversize: () => undefined,
    });
    this.child.stdout.on('data', (chunk: Buffer) => splitter.push(chunk));
  }

  request(method: string, params: object = {}): Promise<{ result?: unknown; error?: unknown }> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.waiting.set(id, (m) => (this.waiting.delete(id), resolve(m)));
      this.child.stdin.write(JSON.stringify({ jsonrpc: '2.0', id, method, params }) + '\n');
    });
  }

  initialize() {
    return this.request('initialize', { protocolVersion: '2025-06-18', capabilities: {}, clientInfo: { name: 'bench', version: '1' } });
  }

  /** Peak resident set size of the child, from /proc (Linux). */
  peakRssMb(): number | undefined {
    try {
      const status = readFileSync(`/proc/${this.child.pid}/status`, 'utf8');
      const kb = /VmHWM:\s+(\d+) kB/.exec(status)?.[1];
      return kb ? Number(kb) / 1024 : undefined;
    } catch {
      return undefined;
    }
  }

  async close(): Promise<void> {
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.stdin.end();
    await exited;
  }
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(values: number[]): number {
  return percentile(
    [...values].sort((a, b) => a - b),
    50,
  );
}
