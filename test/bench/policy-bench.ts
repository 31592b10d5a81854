/**
 * `npm run bench:policy`: decisions per second and latency percentiles of PolicyEngine.evaluate
 * with 10, 1,000 and 10,000 rules. Target (issue 3): p99 <= 20 µs at 1,000 rules.
 * Rule mix: exact tools, per-server globs, a few cross-server globs, some argument conditions,
 * a server rule, in a managed and a user layer.
 */
import { PolicyEngine, type CallInput } from '../../main/policy/policy-engine.js';
import type { PolicyDocument, ToolRule } from '../../shared/policy.js';

const actions = ['allow', 'ask', 'deny'] as const;

function rulesFor(count: number): { managed: PolicyDocument; user: PolicyDocument; servers: number } {
  const servers = Math.max(5, Math.floor(count / 20));
  const rules: ToolRule[] = [];
  for (let i = 0; i < count; i++) {
    const server = `srv${i % servers}`;
    const action = actions[i % 3]!;
    if (i < 8) rules.push({ id: `g${i}`, tool: `mcp__*__danger${i}_*`, action: 'deny' });
    else if (i % 10 === 0) rules.push({ id: `p${i}`, tool: `mcp__${server}__op${i % 7}_*`, action });
    else if (i % 10 === 1)
      rules.push({
        id: `a${i}`,
        tool: `mcp__${server}__tool${i % 50}`,
        action: 'allow',
        arguments: { properties: { path: { type: 'string', pattern: '^/home/dev/' } }, required: ['path'] },
      });
    else rules.push({ id: `r${i}`, tool: `mcp__${server}__tool${i % 50}`, action });
  }
  const managed: PolicyDocument = {
    version: 1,
    servers: [{ id: 'unpinned', match: { package: 'npm:*', pinned: false }, action: 'ask' }],
    rules: rules.slice(0, Math.floor(count / 4)),
  };
  return { managed, user: { version: 1, rules: rules.slice(Math.floor(count / 4)) }, servers };
}

function measure(count: number): { rules: number; perSecond: number; p50: number; p99: number; max: number } {
  const { managed, user, servers } = rulesFor(count);
  const engine = new PolicyEngine({ managed, user });
  const identities = Array.from({ length: servers }, (_, i) => ({ name: `srv${i}`, command: 'node', args: [`srv${i}.js`] }));
  const inputs: CallInput[] = Array.from({ length: 1024 }, (_, i) => ({
    server: identities[(i * 7919) % servers]!,
    tool: i % 5 === 0 ? `op${i % 7}_x` : `tool${i % 50}`,
    arguments: { path: i % 2 ? '/home/dev/projects/a.ts' : '/etc/hosts', n: i },
    client: { name: 'claude-code', sessionId: 's' },
    now: Date.now(),
  }));
  for (let i = 0; i < 20_000; i++) engine.evaluate(inputs[i & 1023]!);
  const samples = 100_000;
  const times = new Float64Array(samples);
  const started = process.hrtime.bigint();
  for (let i = 0; i < samples; i++) {
    const t0 = process.hrtime.bigint();
    engine.evaluate(inputs[i & 1023]!);
    times[i] = Number(process.hrtime.bigint() - t0) / 1000;
  }
  const totalSeconds = Number(process.hrtime.bigint() - started) / 1e9;
  times.sort();
  const at = (q: number) => times[Math.min(samples - 1, Math.floor(q * samples))]!;
  return { rules: count, perSecond: Math.round(samples / totalSeconds), p50: at(0.5), p99: at(0.99), max: times[samples - 1]! };
}

const rows = [10, 1_000, 10_000].map(measure);
const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(8) : c.padStart(14))).join('');
console.log(line(['rules', 'decisions/s', 'p50 µs', 'p99 µs', 'max µs']));
for (const r of rows) console.log(line([String(r.rules), r.perSecond.toLocaleString('en-US'), r.p50.toFixed(2), r.p99.toFixed(2), r.max.toFixed(1)]));
const at1000 = rows.find((r) => r.rules === 1_000)!;
console.log(`target p99 <= 20 µs at 1,000 rules: ${at1000.p99 <= 20 ? 'met' : 'NOT met'} (${at1000.p99.toFixed(2)} µs)`);
