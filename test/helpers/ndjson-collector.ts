/**
 * A real HTTPS endpoint on 127.0.0.1 (node:https with the test CA's server certificate) that
 * takes NDJSON batches as a webhook receiver does: gunzips, splits lines, keeps what it got, and
 * answers what the test tells it to (a status, a Retry-After) for the next requests. It stands in
 * for the customer's webhook, not for any code of the guard.
 */
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';
import type { TestCa } from './nginx.js';

export type Received = { headers: Record<string, string | string[] | undefined>; lines: unknown[]; status: number; at: number };
export type Answer = { status: number; retryAfter?: string; body?: string };

export class NdjsonCollector {
  readonly requests: Received[] = [];
  /** Answers for the coming requests, in order; when empty, 200. A function decides per request. */
  answers: Array<Answer | ((lines: unknown[]) => Answer)> = [];
  url = '';
  private server: Server | undefined;

  static async start(ca: TestCa, path = '/ingest'): Promise<NdjsonCollector> {
    const collector = new NdjsonCollector();
    const server = createServer({ cert: readFileSync(ca.certFile), key: readFileSync(ca.keyFile) }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const lines = body
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== '')
          .map((l) => JSON.parse(l) as unknown);
        const next = collector.answers.shift();
        const answer = typeof next === 'function' ? next(lines) : (next ?? { status: 200 });
        collector.requests.push({ headers: req.headers, lines, status: answer.status, at: Date.now() });
        res.writeHead(answer.status, answer.retryAfter !== undefined ? { 'retry-after': answer.retryAfter } : {});
        res.end(answer.body ?? '');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    collector.server = server;
    collector.url = `https://127.0.0.1:${(server.address() as AddressInfo).port}${path}`;
    return collector;
  }

  /** Every line of every request the collector accepted (2xx), in arrival order. */
  accepted(): unknown[] {
    return this.requests.filter((r) => r.status >= 200 && r.status < 300).flatMap((r) => r.lines);
  }

  close(): Promise<void> {
    const server = this.server;
    if (!server) return Promise.resolve();
    this.server = undefined;
    return new Promise((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  }
}
