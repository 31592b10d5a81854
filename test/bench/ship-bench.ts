/**
 * `npm run bench:ship`: audit shipping over TLS on loopback (a node:https receiver with a test CA,
 * test/helpers/ndjson-collector.ts). Rows, each in the same run:
 * - direct: the same events POSTed in gzipped 500-event NDJSON batches by `postBatch` alone, one
 *   request after another (no log read, no cursor): the ceiling of the HTTP path;
 * - backlog NDJSON / OTLP: a Shipper draining a log of N stored events from an empty cursor
 *   (scan, parse, project, gzip, POST, cursor write per batch);
 * - live: one event appended every 5 ms; the time from `append` resolving to the collector
 *   receiving it (the batch closes on count or after maxWaitMs, 1 s by default, so p50 is
 *   about that wait);
 * - appends with a dead collector: durable append rate with a shipper retrying a refused
 *   port, against the same with no shipper: what a dead sink costs the calls.
 */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { AuditLog } from '../../main/audit/audit-log.js';
import { ShipCursorStore } from '../../main/store/ship-cursors.js';
import { postBatch } from '../../main/sync/ship/https-post.js';
import { NdjsonSink } from '../../main/sync/ship/ndjson-sink.js';
import { OtlpSink } from '../../main/sync/ship/otlp-sink.js';
import { Shipper } from '../../main/sync/ship/shipper.js';
import type { Sink } from '../../main/sync/ship/sink.js';
import type { AuditEvent, AuditEventInput } from '../../shared/audit.js';
import { NdjsonCollector } from '../helpers/ndjson-collector.js';
import { makeTestCa } from '../helpers/nginx.js';
import { tempDir } from '../helpers/proxy.js';

const N = Number(process.env['BENCH_EVENTS'] ?? 20_000);
const quiet = { log: () => undefined };

const input = (i: number): AuditEventInput => ({
  kind: 'call',
  deviceId: 'bench-device',
  osUser: 'bench',
  client: { name: 'claude-code', version: '2.0.1', pid: 4242, cwd: '/home/bench/project' },
  server: { name: 'github', command: ['npx', '-y', '@modelcontextprotocol/server-github'] },
  tool: 'search_issues',
  arguments: { query: `is:open label:bug #${i}`, page: i % 10 },
  decision: { effect: 'allow', layer: 'user', rule: 'allow-github-read', reason: 'read-only tool allowed' },
  latencyMs: 3,
  outcome: { kind: 'ok', sizeBytes: 2048 },
});

async function filledLog(n: number): Promise<{ home: string; log: AuditLog; events: AuditEvent[] }> {
  const home = tempDir('mcp-guard-ship-bench-');
  const log = await AuditLog.open(join(home, 'audit'));
  const events = await Promise.all(Array.from({ length: n }, (_, i) => log.append(input(i))));
  return { home, log, events };
}

async function until(probe: () => boolean): Promise<void> {
  while (!probe()) await new Promise((r) => setTimeout(r, 5));
}

const ca = makeTestCa();
const rows: Array<{ row: string; value: string }> = [];
const rate = (n: number, ms: number) => `${Math.round((n / ms) * 1000).toLocaleString('en-US')} events/s`;

// direct
{
  const collector = await NdjsonCollector.start(ca);
  const { events, log, home } = await filledLog(N);
  const started = performance.now();
  for (let i = 0; i < events.length; i += 500) {
    const body =
      events
        .slice(i, i + 500)
        .map((e) => JSON.stringify(e))
        .join('\n') + '\n';
    const result = await postBatch({ url: collector.url, body, contentType: 'application/x-ndjson', gzip: true, trust: { ca: ca.caPem } });
    if (!result.ok) throw new Error(result.message);
  }
  rows.push({ row: 'direct POST, 500/batch', value: rate(N, performance.now() - started) });
  await log.close();
  await collector.close();
  rmSync(home, { recursive: true, force: true });
}

for (const kind of ['NDJSON', 'OTLP'] as const) {
  const collector = await NdjsonCollector.start(ca, kind === 'OTLP' ? '/v1/logs' : '/ingest');
  const { log, home } = await filledLog(N);
  const sink: Sink =
    kind === 'OTLP'
      ? new OtlpSink('otel', { url: collector.url.replace(/\/v1\/logs$/, ''), guardVersion: 'bench', trust: { ca: ca.caPem } })
      : new NdjsonSink('webhook', { url: collector.url, trust: { ca: ca.caPem } });
  const started = performance.now();
  const shipper = new Shipper({
    auditDir: join(home, 'audit'),
    sink,
    kind,
    cursors: new ShipCursorStore(home),
    log: quiet,
    record: () => Promise.resolve(),
    pollMs: 20,
  });
  shipper.start();
  const received = () =>
    kind === 'OTLP'
      ? collector
          .accepted()
          .reduce<number>(
            (sum, body) =>
              sum + (body as { resourceLogs: Array<{ scopeLogs: Array<{ logRecords: unknown[] }> }> }).resourceLogs[0]!.scopeLogs[0]!.logRecords.length,
            0,
          )
      : collector.accepted().length;
  await until(() => received() >= N);
  rows.push({ row: `shipper backlog, ${kind}`, value: rate(N, performance.now() - started) });
  await shipper.stop();
  await log.close();
  await collector.close();
  rmSync(home, { recursive: true, force: true });
}

// live latency
{
  const collector = await NdjsonCollector.start(ca);
  const { log, home } = await filledLog(0);
  const shipper = new Shipper({
    auditDir: join(home, 'audit'),
    sink: new NdjsonSink('webhook', { url: collector.url, trust: { ca: ca.caPem } }),
    kind: 'ndjson-https',
    cursors: new ShipCursorStore(home),
    log: quiet,
    record: () => Promise.resolve(),
    pollMs: 20,
  });
  shipper.start();
  const appended = new Map<string, number>();
  for (let i = 0; i < 600; i++) {
    const e = await log.append(input(i));
    appended.set(e.id, performance.now());
    await new Promise((r) => setTimeout(r, 5));
  }
  await until(() => collector.accepted().length >= 600);
  const latencies = collector.requests
    .flatMap((r) => r.lines.map((l) => r.at - (performance.timeOrigin + appended.get((l as { id: string }).id)!)))
    .sort((a, b) => a - b);
  const p = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!.toFixed(0);
  rows.push({ row: 'live, append → received', value: `p50 ${p(0.5)} ms, p99 ${p(0.99)} ms (maxWaitMs 1000)` });
  await shipper.stop();
  await log.close();
  await collector.close();
}

// appends with a dead collector
for (const dead of [false, true]) {
  const { log, home } = await filledLog(0);
  const shipper = dead
    ? new Shipper({
        auditDir: join(home, 'audit'),
        sink: new NdjsonSink('dead', { url: 'https://127.0.0.1:9/ingest', trust: { ca: ca.caPem } }),
        kind: 'ndjson-https',
        cursors: new ShipCursorStore(home),
        log: quiet,
        record: () => Promise.resolve(),
        backoff: { baseMs: 20, maxMs: 100 },
        pollMs: 20,
      })
    : undefined;
  shipper?.start();
  const started = performance.now();
  let n = 0;
  await Promise.all(
    Array.from({ length: 64 }, async () => {
      while (performance.now() - started < 3000) {
        await log.append(input(n++));
      }
    }),
  );
  rows.push({ row: dead ? 'appends, dead collector' : 'appends, no shipper', value: rate(n, performance.now() - started) + ' (64 in flight, durable)' });
  await shipper?.stop();
  await log.close();
  rmSync(home, { recursive: true, force: true });
}

console.log(`audit shipping over TLS on loopback, ${N.toLocaleString('en-US')} events per backlog row\n`);
for (const r of rows) console.log(`${r.row.padEnd(28)} ${r.value}`);
process.exit(0);
