/**
 * `npm run bench:audit`: durable audit appends (each resolves after fdatasync) for ~3 s per row:
 * many appenders in flight feeding group commit, and one appender at a time (a sync per event).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AuditLog } from '../../main/audit/audit-log.js';
import type { AuditEventInput } from '../../shared/audit.js';

const DURATION_MS = Number(process.env['BENCH_MS'] ?? 3_000);

const event = (i: number): AuditEventInput => ({
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

async function measure(inFlight: number): Promise<{ inFlight: number; events: number; perSecond: number; p50: number; p99: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-audit-bench-'));
  try {
    const log = await AuditLog.open(dir);
    const latencies: number[] = [];
    let i = 0;
    const start = performance.now();
    const deadline = start + DURATION_MS;
    const appender = async () => {
      while (performance.now() < deadline) {
        const t = performance.now();
        await log.append(event(i++));
        latencies.push(performance.now() - t);
      }
    };
    await Promise.all(Array.from({ length: inFlight }, appender));
    const elapsed = (performance.now() - start) / 1000;
    await log.close();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
    return { inFlight, events: latencies.length, perSecond: latencies.length / elapsed, p50: pct(0.5), p99: pct(0.99) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const rows = [];
for (const inFlight of [64, 256, 1]) rows.push(await measure(inFlight));
console.log(`audit append, durable (fdatasync before resolve), ${DURATION_MS / 1000} s per row\n`);
console.log('in flight   events    events/s   p50 ms   p99 ms');
for (const r of rows) {
  console.log(`${String(r.inFlight).padStart(9)}  ${String(r.events).padStart(7)}  ${r.perSecond.toFixed(0).padStart(10)}  ${r.p50.toFixed(2).padStart(7)}  ${r.p99.toFixed(2).padStart(7)}`);
}
const target = rows[0]!;
console.log(`\ntarget >= 20000 events/s with 64 in flight: ${target.perSecond >= 20_000 ? 'met' : 'NOT met'} (${target.perSecond.toFixed(0)})`);
