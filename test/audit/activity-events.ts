import type { AuditEventInput } from '../../shared/audit.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import { ActivityIndex } from '../../main/audit/activity-index.js';
import type { ActivityFilter } from '../../shared/activity.js';

/** A small seeded generator (mulberry32), so a failing case can be run again. */
export function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(next: () => number, items: readonly T[]): T => items[Math.floor(next() * items.length)]!;

export const SERVERS = ['github', 'fs', 'memory', 'git-hub', 'a.b', undefined] as const;
export const TOOLS = ['search_issues', 'read_file', 'write_file', 'create_entities', 'mcp__fs__read_file', undefined] as const;
export const CLIENTS = ['claude-code', 'cursor', 'Claude Desktop', undefined] as const;
export const BASE_TIME = Date.parse('2025-06-01T12:00:00.000Z');

/** A mix of what a log holds: mostly calls (allowed, asked and answered, denied), some service events. */
export function randomEvent(next: () => number): AuditEventInput {
  const kind = next() < 0.85 ? 'call' : pick(next, ['server-start', 'policy-change', 'grant-created', 'pin-change'] as const);
  const time = new Date(BASE_TIME + Math.floor(next() * 6 * 3600_000)).toISOString();
  const server = pick(next, SERVERS);
  const tool = pick(next, TOOLS);
  const client = pick(next, CLIENTS);
  const event: AuditEventInput = { kind, time, deviceId: 'device-1', osUser: 'alice' };
  if (server !== undefined) event.server = { name: server };
  if (client !== undefined) event.client = { name: client, version: '1.0.0' };
  if (kind !== 'call') return event;
  if (tool !== undefined) event.tool = tool;
  event.arguments = { path: `/home/alice/${pick(next, ['notes', 'Report', 'src/main.ts', 'TODO'])}.txt`, n: Math.floor(next() * 100) };
  const effect = pick(next, ['allow', 'ask', 'deny', undefined] as const);
  if (effect !== undefined) event.decision = { effect, layer: 'user', rule: `rule-${effect}`, reason: `${effect} by rule` };
  if (effect === 'ask') {
    const answer = pick(next, ['deny', 'allow-once', 'allow-session', 'allow-timed'] as const);
    event.approval = {
      approver: 'alice',
      answer,
      ...(answer === 'allow-timed' ? { until: new Date(BASE_TIME + 86_400_000).toISOString(), scope: 'exact-arguments' as const } : {}),
    };
  }
  const denied = effect === 'deny' || event.approval?.answer === 'deny';
  event.outcome = { kind: denied ? 'denied' : pick(next, ['ok', 'ok', 'ok', 'tool-error', 'protocol-error', 'timeout'] as const) };
  event.latencyMs = Math.floor(next() * 500);
  return event;
}

/** A filter with what the CLI offers (server, tool, decision, kind, since) and, with `extra`, what only the page offers. */
export function randomFilter(next: () => number, extra: boolean): ActivityFilter {
  const filter: ActivityFilter = {};
  if (next() < 0.4) filter.server = pick(next, ['github', 'git*', '*', 'fs', '*hub', 'a.b', 'a*b', 'nope']);
  if (next() < 0.4) filter.tool = pick(next, ['read_file', '*_file', 'mcp__fs__read_file', 'mcp__*__write*', '*', 'mcp__fs__mcp__fs__read_file', 'x']);
  if (next() < 0.3) filter.decision = pick(next, ['allow', 'ask', 'deny'] as const);
  if (next() < 0.2) filter.kind = pick(next, ['call', 'server-start', 'policy-change'] as const);
  if (next() < 0.3) filter.since = BASE_TIME + Math.floor(next() * 6 * 3600_000);
  if (!extra) return filter;
  if (next() < 0.3) filter.client = pick(next, ['claude-code', 'cursor', 'Claude Desktop', 'nobody']);
  if (next() < 0.3) filter.outcome = pick(next, ['ok', 'denied', 'timeout', 'tool-error'] as const);
  if (next() < 0.3) filter.until = BASE_TIME + Math.floor(next() * 6 * 3600_000);
  if (next() < 0.3) filter.text = pick(next, ['REPORT', 'notes', 'src/', 'write_', '"n":4', 'zzz']);
  return filter;
}

/** A log in `dir` and an index following it, as the service has them. */
export async function logWithIndex(dir: string, options: { maxSegmentBytes?: number; maxTotalBytes?: number; growEveryMs?: number } = {}) {
  const log = await AuditLog.open(dir, {
    ...(options.maxSegmentBytes ? { maxSegmentBytes: options.maxSegmentBytes } : {}),
    ...(options.maxTotalBytes ? { maxTotalBytes: options.maxTotalBytes } : {}),
  });
  const index = new ActivityIndex({ dir, onDidAppend: log.onDidAppend, ...(options.growEveryMs !== undefined ? { growEveryMs: options.growEveryMs } : {}) });
  return { log, index };
}

/** Every row id matching `filter`, newest first, paged through the index 500 at a time on one snapshot. */
export async function allIds(index: ActivityIndex, filter: ActivityFilter): Promise<string[]> {
  const ids: string[] = [];
  let snapshot: number | undefined;
  for (;;) {
    const window = await index.query({ filter, offset: ids.length, limit: 500, ...(snapshot !== undefined ? { snapshot } : {}) });
    snapshot = window.snapshot;
    ids.push(...window.rows.map((r) => r.id));
    if (window.rows.length === 0 || ids.length >= window.total) return ids;
  }
}

type Tool = { server: string; tool: string; effect: 'allow' | 'ask' | 'deny'; args: (next: () => number) => Record<string, unknown> };
const REPO = ['acme/api', 'acme/web', 'acme/infra'];
const FILES = ['src/server.ts', 'src/routes/users.ts', 'README.md', 'package.json', 'docs/deploy.md', 'test/users.test.ts'];
const REALISTIC_TOOLS: readonly Tool[] = [
  {
    server: 'github',
    tool: 'search_issues',
    effect: 'allow',
    args: (n) => ({ q: `repo:${pick(n, REPO)} is:open ${pick(n, ['label:bug', 'flaky test', 'timeout', 'login'])}` }),
  },
  { server: 'github', tool: 'get_file_contents', effect: 'allow', args: (n) => ({ owner: 'acme', repo: pick(n, REPO).split('/')[1], path: pick(n, FILES) }) },
  { server: 'github', tool: 'list_commits', effect: 'allow', args: (n) => ({ owner: 'acme', repo: pick(n, REPO).split('/')[1], perPage: 20 }) },
  {
    server: 'github',
    tool: 'create_pull_request',
    effect: 'ask',
    args: (n) => ({
      owner: 'acme',
      repo: pick(n, REPO).split('/')[1],
      title: pick(n, ['Fix login timeout', 'Retry flaky upload', 'Bump deps']),
      head: 'agent/fix',
      base: 'main',
    }),
  },
  { server: 'fs', tool: 'read_file', effect: 'allow', args: (n) => ({ path: `/home/alice/acme/${pick(n, FILES)}` }) },
  { server: 'fs', tool: 'list_directory', effect: 'allow', args: (n) => ({ path: `/home/alice/acme/${pick(n, ['src', 'src/routes', 'test', 'docs'])}` }) },
  { server: 'fs', tool: 'write_file', effect: 'ask', args: (n) => ({ path: `/home/alice/acme/${pick(n, FILES)}`, content: 'sha256:9f2c…' }) },
  { server: 'fs', tool: 'read_file', effect: 'deny', args: () => ({ path: '/home/alice/.ssh/id_ed25519' }) },
  { server: 'memory', tool: 'read_graph', effect: 'allow', args: () => ({}) },
  {
    server: 'memory',
    tool: 'create_entities',
    effect: 'allow',
    args: (n) => ({ entities: [{ name: pick(n, ['login-bug', 'release-2.4', 'on-call']), entityType: 'note' }] }),
  },
  {
    server: 'postgres',
    tool: 'query',
    effect: 'ask',
    args: (n) => ({
      sql: pick(n, ['select count(*) from users', 'select * from orders where status = $1 limit 50', 'update users set plan = $1 where id = $2']),
    }),
  },
  { server: 'postgres', tool: 'drop_table', effect: 'deny', args: () => ({ table: 'users' }) },
];
const REALISTIC_CLIENTS = [
  { name: 'claude-code', version: '2.1.0', cwd: '/home/alice/acme' },
  { name: 'claude-code', version: '2.1.0', cwd: '/home/alice/acme' },
  { name: 'cursor', version: '1.7.2', cwd: '/home/alice/acme/web' },
  { name: 'Claude Desktop', version: '0.14.1' },
];

/** A call as a developer's day yields them: mostly reads allowed, writes asked and answered, the odd denial and error. */
export function realisticEvent(next: () => number, time: number): AuditEventInput {
  const client = pick(next, REALISTIC_CLIENTS);
  const base = { time: new Date(time).toISOString(), deviceId: 'dev-laptop-7', osUser: 'alice', client: { ...client, pid: 4000 + Math.floor(next() * 900) } };
  if (next() < 0.02) return { ...base, kind: 'server-start', server: { name: pick(next, ['github', 'fs', 'memory', 'postgres']) } };
  const t = pick(next, REALISTIC_TOOLS);
  const rule = { allow: 'reads', ask: `${t.server}-writes`, deny: 'secrets-and-drops' }[t.effect];
  const event: AuditEventInput = {
    ...base,
    kind: 'call',
    server: { name: t.server, ...(t.server === 'github' ? { package: '@modelcontextprotocol/server-github@2025.4.8' } : {}) },
    tool: t.tool,
    arguments: t.args(next),
    decision: {
      effect: t.effect,
      layer: 'user',
      rule,
      reason: { allow: 'read-only tools are allowed', ask: 'changes need a look', deny: 'never: credentials and destructive calls' }[t.effect],
    },
    latencyMs: Math.round(20 + next() * next() * 900),
    outcome: { kind: next() < 0.04 ? 'tool-error' : 'ok', sizeBytes: Math.round(200 + next() * 8000) },
  };
  if (t.effect === 'deny') event.outcome = { kind: 'denied' };
  if (t.effect === 'ask') {
    const r = next();
    const answer = r < 0.5 ? 'allow-once' : r < 0.7 ? 'allow-session' : r < 0.83 ? 'allow-timed' : r < 0.95 ? 'deny' : 'timeout';
    event.latencyMs = Math.round(1500 + next() * 14_000);
    if (answer === 'timeout') {
      event.approval = { approver: 'timeout', answer: 'deny' };
      event.outcome = { kind: 'timeout' };
    } else {
      event.approval = {
        approver: 'alice',
        answer,
        ...(answer === 'allow-timed' ? { until: new Date(time + 15 * 60_000).toISOString(), scope: 'exact-arguments' as const } : {}),
        ...(answer === 'allow-session' ? { scope: 'any-arguments' as const } : {}),
      };
      if (answer === 'deny') event.outcome = { kind: 'denied' };
    }
  }
  return event;
}

/** Times over the `hours` before `end`, in bursts as an agent works (busy stretches, quiet ones), oldest first. */
export function realisticTimes(next: () => number, count: number, end: number, hours: number): number[] {
  const span = hours * 3_600_000;
  const bursts = Array.from({ length: Math.max(3, Math.round(hours * 3)) }, () => ({
    at: end - next() * span,
    width: 60_000 + next() * 20 * 60_000,
    weight: next(),
  }));
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const b = next() < 0.8 ? bursts[Math.floor(next() * bursts.length)]! : { at: end - next() * span, width: 0, weight: 1 };
    times.push(Math.min(end, Math.max(end - span, Math.round(b.at + (next() - 0.5) * b.width))));
  }
  return times.sort((a, b) => a - b);
}
