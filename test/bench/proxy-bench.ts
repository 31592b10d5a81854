/**
 * npm run bench:proxy — the proxy's cost, against the direct path, in one run on this machine.
 * The server is the raw fixture (test/fixtures/raw-server.ts), so the numbers are the proxy's own.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawn } from 'node:child_process';
import { guardPaths } from '../../main/store/guard-paths.js';
import { BenchClient, median, percentile } from './bench-client.js';

const cli = fileURLToPath(new URL('../../main/cli/mcp-guard.cjs', import.meta.url));
const server = fileURLToPath(new URL('../fixtures/raw-server.js', import.meta.url));
const bareRelay = fileURLToPath(new URL('../fixtures/bare-relay.js', import.meta.url));
const CALLS = 2000;
/** Calls between the fresh and the warm measurement: V8 has optimised the hot paths of all three processes by then. */
const WARM_UP = 5000;

type Latency = { median: number; p99: number };
/** Per-call latency of a fresh process (its first CALLS calls) and of the same process warmed up; the peak RSS of the process the client started. */
type PerCall = { fresh: Latency; warm: Latency; rssMb: number };

const homes: string[] = [];
/** A guard home with a user policy; the managed layer points nowhere. Removed when the bench ends. */
function guardHome(policy: object): { home: string; env: NodeJS.ProcessEnv } {
  const home = mkdtempSync(join(tmpdir(), 'mcp-guard-bench-'));
  homes.push(home);
  writeFileSync(join(home, 'policy.json'), JSON.stringify(policy));
  return { home, env: { ...process.env, MCP_GUARD_HOME: home, MCP_GUARD_MANAGED_POLICY: join(home, 'none.json') } };
}

const allowHome = guardHome({ version: 1, defaults: { tools: 'allow' } });
const proxied = (env: NodeJS.ProcessEnv) => () => new BenchClient(process.execPath, [cli, 'run', '--name', 'bench', '--', process.execPath, server], env);

type Route = { name: 'direct' | 'proxied' | 'ask + live grant' | 'bare relay'; start: () => BenchClient; ready?: (client: BenchClient) => Promise<void> };
const proxiedRoute: Route = { name: 'proxied', start: proxied(allowHome.env) };
const routes: Route[] = [{ name: 'direct', start: () => new BenchClient(process.execPath, [server]) }, proxiedRoute];
/** For scale, per call: a Node process that relays bytes and decides nothing (test/fixtures/bare-relay.ts). */
const relayRoute: Route = { name: 'bare relay', start: () => new BenchClient(process.execPath, [bareRelay, process.execPath, server]) };

/**
 * Policy asks about every call; an "always" grant for echo answers it: the service pushes its grants
 * to the proxy, which decides from them. The service runs in a process of its own, as the app or
 * `mcp-guard serve` runs it.
 */
async function grantRoute(): Promise<{ route: Route; stop: () => void }> {
  const { home, env } = guardHome({ version: 1, defaults: { tools: 'ask' } });
  const paths = guardPaths(home);
  const now = Date.now();
  writeFileSync(
    paths.grants,
    JSON.stringify({
      version: 1,
      grants: [
        {
          id: 'bench',
          scope: { kind: 'tool-any-args' },
          client: { kind: 'any' },
          server: 'bench',
          tool: 'echo',
          createdAt: now,
          expiresAt: null,
          lifetime: { kind: 'always' },
          source: 'user',
        },
      ],
    }),
  );
  const service = spawn(process.execPath, [cli, 'serve'], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise<void>((resolve) => service.stderr.on('data', (c: Buffer) => c.toString().includes('service started') && resolve()));
  const ready = async (client: BenchClient): Promise<void> => {
    // Wait for the proxy's link to the service (and its grants); until then asks are denied.
    for (let i = 0; i < 100; i++) {
      const answer = await client.request('tools/call', { name: 'echo', arguments: {} });
      if (!(answer.result as { isError?: boolean }).isError) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error('the grant never took: every call was denied');
  };
  return { route: { name: 'ask + live grant', start: proxied(env), ready }, stop: () => service.kill('SIGTERM') };
}

async function measure(client: BenchClient, calls: number): Promise<Latency> {
  const times: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t = performance.now();
    await client.request('tools/call', { name: 'echo', arguments: { i } });
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return { median: percentile(times, 50), p99: percentile(times, 99) };
}

async function perCall(route: Route): Promise<PerCall> {
  const client = route.start();
  await client.initialize();
  await route.ready?.(client);
  const fresh = await measure(client, CALLS);
  for (let i = 0; i < WARM_UP; i++) await client.request('tools/call', { name: 'echo', arguments: { i } });
  const warm = await measure(client, CALLS);
  const rssMb = client.peakRssMb() ?? NaN;
  await client.close();
  return { fresh, warm, rssMb };
}

/** Milliseconds per result of `bytes` (after one untimed result), and the peak RSS of the process the client started. */
async function throughput(route: Route, bytes: number): Promise<{ times: number[]; rssMb: number }> {
  const client = route.start();
  await client.initialize();
  await client.request('tools/call', { name: 'big', arguments: { bytes } });
  const times: number[] = [];
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    await client.request('tools/call', { name: 'big', arguments: { bytes } });
    times.push(performance.now() - t);
  }
  const rssMb = client.peakRssMb() ?? NaN;
  await client.close();
  return { times, rssMb };
}

/** A long session: the proxy's peak RSS after LONG_SESSION calls (its memory must not creep with the number of calls). */
const LONG_SESSION = 50_000;
async function longSessionRssMb(route: Route): Promise<number> {
  const client = route.start();
  await client.initialize();
  for (let i = 0; i < LONG_SESSION; i++) await client.request('tools/call', { name: 'echo', arguments: { i } });
  const rssMb = client.peakRssMb() ?? NaN;
  await client.close();
  return rssMb;
}

async function connect(route: Route): Promise<number> {
  const t = performance.now();
  const client = route.start();
  await client.initialize();
  const ms = performance.now() - t;
  await client.close();
  return ms;
}

const fmt = (n: number, digits = 3) => n.toFixed(digits);
const rows: string[][] = [];
const result: Record<string, PerCall & { five: number; fifty: number; connect: number; rss: number }> = {};
const latencyCells = (c: PerCall) => [fmt(c.fresh.median), fmt(c.fresh.p99), fmt(c.warm.median), fmt(c.warm.p99)];

// Per-call latency is noisy on a shared VM, and its speed drifts over a minute: the routes take
// turns, PER_CALL_ROUNDS times, and each route's figure is the median of its rounds.
const PER_CALL_ROUNDS = 5;
const grants = await grantRoute();
const rounds = new Map<string, PerCall[]>();
try {
  for (let round = 0; round < PER_CALL_ROUNDS; round++) {
    for (const route of [...routes, grants.route, relayRoute]) rounds.set(route.name, [...(rounds.get(route.name) ?? []), await perCall(route)]);
  }
} finally {
  grants.stop();
}
function medianOf(runs: PerCall[]): PerCall {
  const of = (pick: (r: PerCall) => Latency): Latency => ({ median: median(runs.map((r) => pick(r).median)), p99: median(runs.map((r) => pick(r).p99)) });
  return { fresh: of((r) => r.fresh), warm: of((r) => r.warm), rssMb: Math.max(...runs.map((r) => r.rssMb)) };
}

// Throughput too: three rounds, the routes taking turns, each a fresh process; the median of all timed results.
const SIZES = [5_000_000, 50_000_000] as const;
const transfers = new Map<string, { times: number[]; rssMb: number }>();
for (let round = 0; round < 3; round++) {
  for (const route of routes) {
    for (const bytes of SIZES) {
      const key = `${route.name} ${bytes}`;
      const { times, rssMb } = await throughput(route, bytes);
      const seen = transfers.get(key);
      transfers.set(key, { times: [...(seen?.times ?? []), ...times], rssMb: Math.max(seen?.rssMb ?? 0, rssMb) });
    }
  }
}

/** For scale: how long a bare Node process takes to start and write a byte (the floor of any Node proxy's added connect time). */
async function nodeStart(): Promise<number> {
  const t = performance.now();
  const child = spawn(process.execPath, ['-e', 'process.stdout.write("\\n")'], { stdio: ['ignore', 'pipe', 'ignore'] });
  await new Promise((resolve) => child.stdout.once('data', resolve));
  const ms = performance.now() - t;
  await new Promise((resolve) => child.once('close', resolve));
  return ms;
}

// 15 connects of each route, taking turns (and 15 bare Node starts).
const connects = new Map<string, number[]>();
const nodeStarts: number[] = [];
for (let i = 0; i < 15; i++) {
  for (const route of routes) connects.set(route.name, [...(connects.get(route.name) ?? []), await connect(route)]);
  nodeStarts.push(await nodeStart());
}

for (const route of routes) {
  const call = medianOf(rounds.get(route.name)!);
  const [five, fifty] = SIZES.map((bytes) => {
    const { times, rssMb } = transfers.get(`${route.name} ${bytes}`)!;
    const ms = median(times);
    return { ms, mbps: bytes / 1e6 / (ms / 1000), rssMb };
  }) as [{ ms: number; mbps: number; rssMb: number }, { ms: number; mbps: number; rssMb: number }];
  const connectMs = median(connects.get(route.name)!);
  // Peak RSS over every run: 9,000 small calls as well as 4 × 50 MB results.
  result[route.name] = { ...call, five: five.ms, fifty: fifty.ms, connect: connectMs, rss: Math.max(call.rssMb, five.rssMb, fifty.rssMb) };
  rows.push([
    route.name,
    ...latencyCells(call),
    `${fmt(five.mbps, 0)} MB/s`,
    `${fmt(fifty.mbps, 0)} MB/s (${fmt(fifty.ms, 0)} ms)`,
    `${fmt(connectMs, 1)} ms`,
    route.name === 'proxied' ? `${fmt(result[route.name]!.rss, 1)} MB` : '-',
  ]);
}

const longRss = await longSessionRssMb(proxiedRoute);
const grant = medianOf(rounds.get(grants.route.name)!);
rows.push(['ask + live grant (grant pushed by the service, decided in the proxy)', ...latencyCells(grant), '-', '-', '-', '-']);
const relay = medianOf(rounds.get(relayRoute.name)!);
rows.push(['for scale: a bare Node relay (passes bytes, decides nothing)', ...latencyCells(relay), '-', '-', '-', '-']);

const d = result['direct']!;
const p = result['proxied']!;
const added = (pick: (c: PerCall) => Latency, c: PerCall) => fmt(pick(c).median - pick(d).median);
console.log(
  `bench:proxy — ${CALLS} sequential tools/call in a fresh process, then ${CALLS} more after ${WARM_UP} warm-up calls (${PER_CALL_ROUNDS} rounds, the four routes taking turns, medians); 5 MB and 50 MB results (3 rounds of 3 each, routes taking turns, median); 15 connects of each, taking turns; node ${process.version}`,
);
console.log(
  '| path | fresh: median ms/call | fresh: p99 | warm: median ms/call | warm: p99 | 5 MB result | 50 MB result | connect (initialize) | proxy peak RSS |',
);
console.log('|---|---|---|---|---|---|---|---|---|');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
console.log('');
console.log(
  `added median per call: ${added((c) => c.fresh, p)} ms fresh, ${added((c) => c.warm, p)} ms warm (target <= 0.10); a bare Node relay adds ${added((c) => c.fresh, relay)} ms fresh, ${added((c) => c.warm, relay)} ms warm`,
);
console.log(`50 MB result: ${fmt(p.fifty / d.fifty, 2)}x direct (target <= 1.10); 5 MB: ${fmt(p.five / d.five, 2)}x`);
console.log(
  `ask with a live grant: added median ${added((c) => c.fresh, grant)} ms fresh, ${added((c) => c.warm, grant)} ms warm over direct (target <= 0.25)`,
);
console.log(
  `added connect time: ${fmt(p.connect - d.connect, 1)} ms (target <= 150); for scale, a bare Node process writes its first byte after ${fmt(median(nodeStarts), 1)} ms`,
);
console.log(`proxy peak RSS: ${fmt(p.rss, 1)} MB over the runs above, ${fmt(longRss, 1)} MB after ${LONG_SESSION} calls (target <= 60)`);
for (const home of homes) rmSync(home, { recursive: true, force: true });
process.exit(0);
