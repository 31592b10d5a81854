/**
 * Audit shipping to an NDJSON webhook and as OTLP/HTTP JSON logs, over real TLS on loopback (a node:https receiver with the
 * test CA's certificate, test/helpers/ndjson-collector.ts) from a real hash-chained audit log:
 * in order, batched, gzipped, at least once; Retry-After honoured on 503, backoff on 5xx, 413
 * split down to one event, 400 recorded as ship-rejected and passed; resumed from the cursor after
 * a restart; a dead collector holds up neither another collector nor the log; the OTLP body's
 * mapping (hex ids, integer enums, int64 strings, MCP/GenAI attributes); and, through the
 * service, a managed configuration's collector receives what the service records.
 */
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { AuditEvent } from '../../shared/audit.js';
import { AuditLog } from '../../main/audit/audit-log.js';
import type { ServiceEvent } from '../../main/audit/audit-intake.js';
import { startGuard } from '../../main/service/start-guard.js';
import { ShipCursorStore } from '../../main/store/ship-cursors.js';
import { NdjsonSink } from '../../main/sync/ship/ndjson-sink.js';
import { Shipper } from '../../main/sync/ship/shipper.js';
import { OtlpSink } from '../../main/sync/ship/otlp-sink.js';
import { OTLP_SCHEMA_URL } from '../../main/sync/ship/otlp-logs.js';
import { callEvent } from '../audit/sample-events.js';
import { NdjsonCollector } from '../helpers/ndjson-collector.js';
import { makeTestCa, type TestCa } from '../helpers/nginx.js';
import { guardHomeWith, tempDir } from '../helpers/proxy.js';
import { auditEvents } from '../helpers/service.js';
import { writeManaged } from './managed-config-fixtures.js';

let ca: TestCa;
let collector: NdjsonCollector;
const open: Array<{ stop(): Promise<void> }> = [];

beforeAll(() => {
  ca = makeTestCa();
});

afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.stop()));
  await collector?.close();
});

const quiet = { log: () => undefined };

async function waitFor(probe: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A real log in a guard home of its own, with `n` call events in it. */
async function logWith(n: number): Promise<{ home: string; log: AuditLog; events: AuditEvent[] }> {
  const home = tempDir('mcp-guard-ship-');
  const log = await AuditLog.open(join(home, 'audit'));
  const events: AuditEvent[] = [];
  for (let i = 0; i < n; i++) events.push(await log.append(callEvent({ arguments: { i } })));
  open.push({ stop: () => log.close() });
  return { home, log, events };
}

function shipper(home: string, log: AuditLog, o: { url?: string; id?: string; recorded?: ServiceEvent[]; maxEvents?: number } = {}): Shipper {
  const id = o.id ?? 'webhook';
  const s = new Shipper({
    auditDir: join(home, 'audit'),
    sink: new NdjsonSink(id, { url: o.url ?? collector.url, trust: { ca: ca.caPem } }),
    kind: 'ndjson-https',
    cursors: new ShipCursorStore(home),
    log: quiet,
    record: (event) => {
      o.recorded?.push(event);
      return Promise.resolve();
    },
    onAppend: log.onDidAppend,
    maxEvents: o.maxEvents ?? 500,
    maxWaitMs: 50,
    backoff: { baseMs: 50, maxMs: 200 },
    pollMs: 20,
  });
  s.start();
  open.push(s);
  return s;
}

const ids = (lines: unknown[]) => lines.map((l) => (l as { id: string }).id);

describe('audit shipping to an NDJSON webhook', () => {
  it('ships every event once, in log order, in gzipped batches of at most maxEvents, and records the cursor', async () => {
    collector = await NdjsonCollector.start(ca);
    const { home, log, events } = await logWith(1200);
    const s = shipper(home, log);
    await waitFor(() => collector.accepted().length >= 1200, '1200 events');
    expect(ids(collector.accepted())).toEqual(events.map((e) => e.id));
    expect(collector.accepted()[0]).toEqual(events[0]);
    expect(collector.requests.length).toBeGreaterThanOrEqual(3);
    expect(Math.max(...collector.requests.map((r) => r.lines.length))).toBeLessThanOrEqual(500);
    expect(collector.requests[0]!.headers).toMatchObject({ 'content-type': 'application/x-ndjson', 'content-encoding': 'gzip' });
    const later = await log.append(callEvent({ arguments: { i: 'live' } }));
    await waitFor(() => collector.accepted().length === 1201, 'the live event');
    expect(ids(collector.accepted()).at(-1)).toBe(later.id);
    const cursor = new ShipCursorStore(home).readSync('webhook');
    expect(cursor).toMatchObject({ state: 'ok', cursor: { lastId: later.id } });
    expect(s.status()).toMatchObject({ id: 'webhook', lag: 0, lastShippedId: later.id });
  });

  it('waits the Retry-After of a 503, and backs off on 500s, then delivers the same batch, in order', async () => {
    collector = await NdjsonCollector.start(ca);
    collector.answers = [{ status: 503, retryAfter: '1' }, { status: 500 }, { status: 500 }];
    const { home, log, events } = await logWith(20);
    const s = shipper(home, log);
    await waitFor(() => collector.accepted().length === 20, 'delivery after the retries');
    const [first, , , delivered] = collector.requests;
    expect(collector.requests.map((r) => r.status)).toEqual([503, 500, 500, 200]);
    expect(delivered!.at - first!.at).toBeGreaterThanOrEqual(950);
    expect(ids(delivered!.lines)).toEqual(events.map((e) => e.id));
    expect(s.status().lastError).toBeUndefined();
  });

  it('splits a batch the collector finds too large (413) down to single events, and delivers them all', async () => {
    collector = await NdjsonCollector.start(ca);
    collector.answers = Array.from({ length: 20 }, () => (lines: unknown[]) => ({ status: lines.length > 2 ? 413 : 200 }));
    const { home, log, events } = await logWith(8);
    shipper(home, log);
    await waitFor(() => collector.accepted().length === 8, 'the split batches');
    expect(ids(collector.accepted())).toEqual(events.map((e) => e.id));
    expect(collector.requests.filter((r) => r.status === 200).every((r) => r.lines.length <= 2)).toBe(true);
  });

  it('passes an event the collector refuses for good (400), recording ship-rejected with its id, and ships the rest', async () => {
    collector = await NdjsonCollector.start(ca);
    const { home, log, events } = await logWith(3);
    const bad = events[1]!.id;
    collector.answers = Array.from({ length: 20 }, () => (lines: unknown[]) => ({
      status: ids(lines).includes(bad) ? (lines.length > 1 ? 413 : 400) : 200,
      body: 'bad event',
    }));
    const recorded: ServiceEvent[] = [];
    shipper(home, log, { recorded });
    await waitFor(() => collector.accepted().length === 2 && recorded.length === 1, 'the rest and the rejection');
    expect(ids(collector.accepted())).toEqual([events[0]!.id, events[2]!.id]);
    expect(recorded[0]).toMatchObject({ kind: 'ship-rejected', detail: { sink: 'webhook', ids: [bad], count: 1, status: 400 } });
  });

  it('resumes after a restart from its cursor: only the events after the last delivered one are sent', async () => {
    collector = await NdjsonCollector.start(ca);
    const { home, log, events } = await logWith(10);
    const first = shipper(home, log);
    await waitFor(() => collector.accepted().length === 10, 'the first 10');
    await first.stop();
    const more = [];
    for (let i = 0; i < 5; i++) more.push(await log.append(callEvent({ arguments: { after: i } })));
    shipper(home, log);
    await waitFor(() => collector.accepted().length === 15, 'the 5 after the restart');
    expect(ids(collector.accepted())).toEqual([...events, ...more].map((e) => e.id));
  });

  it('a dead collector holds up neither another collector nor the log', async () => {
    collector = await NdjsonCollector.start(ca);
    const { home, log } = await logWith(5);
    const dead = shipper(home, log, { id: 'dead', url: 'https://127.0.0.1:9/ingest' });
    shipper(home, log, { id: 'alive' });
    await waitFor(() => collector.accepted().length === 5, 'the live collector');
    const started = Date.now();
    for (let i = 0; i < 50; i++) await log.append(callEvent({ arguments: { more: i } }));
    expect(Date.now() - started).toBeLessThan(2000);
    await waitFor(() => collector.accepted().length === 55, 'the live collector, still');
    await waitFor(() => dead.status().lastError !== undefined, 'the dead one to say why');
    expect(dead.status()).toMatchObject({ id: 'dead', lag: 55, lastError: { message: expect.stringContaining('ECONNREFUSED') } });
  });
});

describe('audit shipping as OTLP/HTTP JSON logs', () => {
  it('posts ExportLogsServiceRequest bodies to <url>/v1/logs: hex ids, integer severity, int64 as strings, MCP and GenAI attributes, the schema URL pinned', async () => {
    collector = await NdjsonCollector.start(ca, '/otel/v1/logs');
    const { home, log } = await logWith(0);
    const denied = await log.append(
      callEvent({
        tool: 'delete_repo',
        decision: { effect: 'deny', layer: 'managed', rule: 'no-deletes', reason: 'deletes are blocked' },
        outcome: { kind: 'denied' },
      }),
    );
    const s = new Shipper({
      auditDir: join(home, 'audit'),
      sink: new OtlpSink('otel', { url: collector.url.replace(/\/v1\/logs$/, ''), guardVersion: '0.17.0', trust: { ca: ca.caPem } }),
      kind: 'otlp-http',
      cursors: new ShipCursorStore(home),
      log: quiet,
      record: () => Promise.resolve(),
      maxWaitMs: 50,
      pollMs: 20,
    });
    s.start();
    open.push(s);
    await waitFor(() => collector.accepted().length === 1, 'one OTLP request');
    expect(collector.requests[0]!.headers['content-type']).toBe('application/json');
    const body = collector.accepted()[0] as {
      resourceLogs: Array<{ resource: { attributes: unknown[] }; scopeLogs: Array<{ schemaUrl: string; logRecords: Record<string, unknown>[] }> }>;
    };
    const [resource] = body.resourceLogs;
    expect(resource!.resource.attributes).toContainEqual({ key: 'service.name', value: { stringValue: 'mcp-guard' } });
    expect(resource!.scopeLogs[0]!.schemaUrl).toBe(OTLP_SCHEMA_URL);
    const record = resource!.scopeLogs[0]!.logRecords[0]!;
    expect(record).toMatchObject({ severityNumber: 13, severityText: 'WARN', timeUnixNano: `${BigInt(Date.parse(denied.time)) * 1_000_000n}` });
    expect(record['traceId']).toMatch(/^[0-9a-f]{32}$/);
    expect(record['spanId']).toMatch(/^[0-9a-f]{16}$/);
    const attrs = Object.fromEntries(
      (record['attributes'] as Array<{ key: string; value: Record<string, unknown> }>).map((a) => [a.key, Object.values(a.value)[0]]),
    );
    expect(attrs).toMatchObject({
      'mcp.method.name': 'tools/call',
      'gen_ai.operation.name': 'execute_tool',
      'gen_ai.tool.name': 'delete_repo',
      'gen_ai.security.decision.type': 'deny',
      'gen_ai.security.decision.reason': 'deletes are blocked',
      'gen_ai.security.policy.id': 'no-deletes',
      'error.type': 'denied',
      'mcp_guard.event.id': denied.id,
      'mcp_guard.event.hash': denied.hash,
    });
  });
});

describe('audit shipping from the service, as a managed configuration sets it', () => {
  afterAll(async () => collector?.close());

  it('sends what the service records to the collector, and says which kinds are not built yet', async () => {
    collector = await NdjsonCollector.start(ca);
    const etc = tempDir('mcp-guard-etc-');
    const file = writeManaged(
      {
        version: 1,
        tls: { caBundle: ca.caFile },
        collectors: [
          { kind: 'ndjson-https', id: 'webhook', url: collector.url },
          { kind: 'syslog-tls', id: 'siem', host: '127.0.0.1', port: 6514 },
        ],
      },
      0o644,
      'managed.json',
      etc,
    );
    const home = guardHomeWith({ version: 1, defaults: { tools: 'allow' } });
    const logged: string[] = [];
    const guard = await startGuard({
      home,
      env: { ...process.env, MCP_GUARD_MANAGED_CONFIG: file },
      log: { log: (_level, message) => void logged.push(message) },
      deviceId: 'dev-1',
    });
    open.push(guard);
    await guard.service.note({ kind: 'server-drift', server: { name: 'shadow' }, detail: { outcome: 'flagged' } });
    const stored = await auditEvents(home);
    await waitFor(() => collector.accepted().length >= stored.length, 'the service events');
    expect(ids(collector.accepted())).toEqual(stored.map((e) => e.id));
    expect(guard.shipping?.statuses()).toEqual([
      expect.objectContaining({ id: 'webhook', kind: 'ndjson-https' }),
      expect.objectContaining({ id: 'siem', kind: 'syslog-tls', lastError: expect.objectContaining({ message: expect.stringContaining('not built yet') }) }),
    ]);
    expect(logged.some((m) => m.includes('collector siem (syslog-tls): shipping to this kind is not built yet'))).toBe(true);
  });
});
