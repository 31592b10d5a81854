/**
 * `npm run bench:audit`: durable audit appends (each resolves after fdatasync), closed loop: N
 * appenders each append, await, append again. Rows: 64 and 256 in flight (group commit), 1 in
 * flight (one fdatasync per event, the baseline), and 64 in flight with the file's writes and syncs
 * discarded (the CPU ceiling of parse + scrub + hash + bench; if it is not far above the durable
 * rows, the disk is not what limits them). Each row runs BENCH_MS after a short warm-up that is not
 * counted; BENCH_ROUNDS repeats every row and prints the range, since a shared machine is noisy.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { NodeAuditFileSystem, type AuditFile, type AuditFileSystem } from '../../main/audit/audit-fs.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import type { AuditEventInput } from '../../shared/audit.js';

const DURATION_MS = Number(process.env['BENCH_MS'] ?? 3_000);
const WARMUP_MS = Number(process.env['BENCH_WARMUP_MS'] ?? 500);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 1);
const TARGET = 20_000;

// Built before timing starts, so the bench measures the log, not event generation.
const EVENTS: readonly AuditEventInput[] = Array.from({ length: 4096 }, (_, i) => ({
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
}));

/** The real file system, except that a segment's writes and syncs are dropped (the file is still created). */
class DiscardingFs implements AuditFileSystem {
  private readonly real = new NodeAuditFileSystem();
  async openAppend(path: string): Promise<AuditFile> {
    const file = await this.real.openAppend(path);
    return { write: () => Promise.resolve(), datasync: () => Promise.resolve(), close: () => file.close() };
  }
  syncDir(dir: string): Promise<void> {
    return this.real.syncDir(dir);
  }
}

type Row = { label: string; inFlight: number; perSecond: number; p50: number; p99: number; load: number };

async function measure(label: string, inFlight: number, fs?: AuditFileSystem): Promise<Row> {
  const dir = mkdtempSync(join(tmpdir(), 'mcp-guard-audit-bench-'));
  try {
    const log = await AuditLog.open(dir, fs ? { fs } : {});
    const latencies: number[] = [];
    let counted = 0;
    let next = 0;
    const start = performance.now();
    const from = start + WARMUP_MS;
    const until = from + DURATION_MS;
    const appender = async () => {
      for (let t = performance.now(); t < until;) {
        await log.append(EVENTS[next++ % EVENTS.length]!);
        const done = performance.now();
        // Counted: appends that both started and finished inside the window.
        if (t >= from && done <= until) {
          latencies.push(done - t);
          counted++;
        }
        t = done;
      }
    };
    await Promise.all(Array.from({ length: inFlight }, appender));
    await log.close();
    latencies.sort((a, b) => a - b);
    const pct = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? 0;
    return { label, inFlight, perSecond: counted / (DURATION_MS / 1000), p50: pct(0.5), p99: pct(0.99), load: loadavg()[0] ?? 0 };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const plan: Array<{ label: string; inFlight: number; fs?: () => AuditFileSystem }> = [
  { label: 'durable', inFlight: 64 },
  { label: 'durable', inFlight: 256 },
  { label: 'durable, fsync per event', inFlight: 1 },
  { label: 'CPU ceiling (no disk)', inFlight: 64, fs: () => new DiscardingFs() },
];
const results: Row[][] = plan.map(() => []);
for (let round = 0; round < ROUNDS; round++) {
  for (const [i, row] of plan.entries()) results[i]!.push(await measure(row.label, row.inFlight, row.fs?.()));
}

const range = (values: number[], digits: number) => {
  const lo = Math.min(...values).toFixed(digits);
  const hi = Math.max(...values).toFixed(digits);
  return lo === hi ? lo : `${lo}–${hi}`;
};
console.log(`audit append, durable (fdatasync before resolve): ${DURATION_MS / 1000} s per row after ${WARMUP_MS} ms warm-up, ${ROUNDS} round(s)\n`);
console.log(`${'row'.padEnd(26)} ${'in flight'.padStart(9)}  ${'events/s'.padStart(13)}  ${'p50 ms'.padStart(11)}  ${'p99 ms'.padStart(11)}  load (1 min)`);
for (const [i, row] of plan.entries()) {
  const rs = results[i]!;
  const perSecond = range(
    rs.map((r) => r.perSecond),
    0,
  );
  const p50 = range(
    rs.map((r) => r.p50),
    2,
  );
  const p99 = range(
    rs.map((r) => r.p99),
    2,
  );
  const load = range(
    rs.map((r) => r.load),
    2,
  );
  console.log(`${row.label.padEnd(26)} ${String(row.inFlight).padStart(9)}  ${perSecond.padStart(13)}  ${p50.padStart(11)}  ${p99.padStart(11)}  ${load}`);
}
const target = results[0]!.map((r) => r.perSecond);
console.log(
  `\ntarget >= ${TARGET} events/s with 64 in flight: ${Math.min(...target) >= TARGET ? 'met' : 'NOT met'} (${range(target, 0)}${ROUNDS > 1 ? ', every round' : ''})`,
);
