import { createHash } from 'node:crypto';
import type { AuditEvent } from '../../../shared/audit.js';

/**
 * The audit log's events as OTLP/HTTP JSON logs (`POST /v1/logs`, ExportLogsServiceRequest), one
 * log record per event. OTLP's JSON mapping: trace and span ids as hex (not base64), enums as
 * integers, 64-bit integers as strings. Attributes follow the OpenTelemetry MCP and GenAI semantic
 * conventions (`mcp.method.name`, `gen_ai.tool.name`, `gen_ai.operation.name=execute_tool`,
 * `error.type`), the decision goes in the proposed GenAI security (guardrail) attributes
 * (`gen_ai.security.decision.type`, `…reason`, `gen_ai.security.policy.id`), and what has no
 * convention under `mcp_guard.*`. The schema URL is pinned. `jsonrpc.request.id` and
 * `mcp.protocol.version` are not in the audit event, so they are not sent.
 */

export const OTLP_SCHEMA_URL = 'https://opentelemetry.io/schemas/1.37.0';

type AnyValue = { stringValue: string } | { intValue: string } | { doubleValue: number } | { boolValue: boolean };
type KeyValue = { key: string; value: AnyValue };

/** OTLP SeverityNumber: INFO 9, WARN 13, ERROR 17. */
const SEVERITY = { info: 9, warn: 13, error: 17 } as const;

export function otlpLogsRequest(events: readonly AuditEvent[], guardVersion: string): unknown {
  const byDevice = new Map<string, AuditEvent[]>();
  for (const e of events) byDevice.set(e.deviceId, [...(byDevice.get(e.deviceId) ?? []), e]);
  return {
    resourceLogs: [...byDevice].map(([deviceId, list]) => ({
      resource: { attributes: [str('service.name', 'mcp-guard'), str('service.version', guardVersion), str('host.id', deviceId)] },
      schemaUrl: OTLP_SCHEMA_URL,
      scopeLogs: [{ scope: { name: 'mcp-guard.audit', version: guardVersion }, schemaUrl: OTLP_SCHEMA_URL, logRecords: list.map(logRecord) }],
    })),
  };
}

function logRecord(e: AuditEvent): unknown {
  const severity = severityOf(e);
  const nanos = `${BigInt(Date.parse(e.time)) * 1_000_000n}`;
  return {
    timeUnixNano: nanos,
    observedTimeUnixNano: nanos,
    severityNumber: SEVERITY[severity],
    severityText: severity.toUpperCase(),
    eventName: `mcp_guard.${e.kind}`,
    body: { stringValue: summary(e) },
    attributes: attributes(e),
    // No trace context reaches the guard: ids derived from the session and the event, stable for re-sends.
    traceId: hexOf(`${e.deviceId}|${e.client?.pid ?? ''}|${e.server?.name ?? ''}`, 32),
    spanId: hexOf(e.id, 16),
  };
}

function attributes(e: AuditEvent): KeyValue[] {
  const out: KeyValue[] = [
    str('mcp_guard.event.id', e.id),
    str('mcp_guard.event.kind', e.kind),
    str('mcp_guard.event.hash', e.hash),
    str('mcp_guard.event.prev', e.prev),
  ];
  out.push(str('user.name', e.osUser));
  if (e.kind === 'call') out.push(str('mcp.method.name', 'tools/call'), str('gen_ai.operation.name', 'execute_tool'));
  if (e.tool !== undefined) out.push(str('gen_ai.tool.name', e.tool));
  if (e.server?.name !== undefined) out.push(str('mcp_guard.server.name', e.server.name));
  if (e.server?.package !== undefined) out.push(str('mcp_guard.server.package', e.server.package));
  if (e.client?.name !== undefined) out.push(str('mcp_guard.client.name', e.client.name));
  if (e.client?.version !== undefined) out.push(str('mcp_guard.client.version', e.client.version));
  if (e.decision) {
    out.push(
      str('gen_ai.security.decision.type', e.decision.effect),
      str('gen_ai.security.decision.reason', e.decision.reason),
      str('mcp_guard.decision.layer', e.decision.layer),
    );
    if (e.decision.rule !== undefined) out.push(str('gen_ai.security.policy.id', e.decision.rule));
  }
  if (e.approval) out.push(str('mcp_guard.approval.answer', e.approval.answer), str('mcp_guard.approval.approver', e.approval.approver));
  if (e.outcome) {
    out.push(str('mcp_guard.outcome', e.outcome.kind));
    if (e.outcome.kind !== 'ok') out.push(str('error.type', e.outcome.code !== undefined ? String(e.outcome.code) : e.outcome.kind));
  }
  if (e.latencyMs !== undefined) out.push({ key: 'mcp_guard.latency_ms', value: { doubleValue: e.latencyMs } });
  if (e.arguments !== undefined) out.push(str('mcp_guard.arguments', JSON.stringify(e.arguments)));
  if (e.detail !== undefined) out.push(str('mcp_guard.detail', JSON.stringify(e.detail)));
  return out;
}

function severityOf(e: AuditEvent): keyof typeof SEVERITY {
  if (e.kind === 'ship-rejected' || e.kind === 'ship-gap' || e.kind === 'policy-refused') return 'error';
  if (e.decision?.effect === 'deny' || (e.outcome && e.outcome.kind !== 'ok')) return 'warn';
  return 'info';
}

function summary(e: AuditEvent): string {
  if (e.kind !== 'call') return `${e.kind}${e.server ? ` ${e.server.name}` : ''}`;
  return `tools/call ${e.server?.name ?? '?'}/${e.tool ?? '?'}: ${e.decision?.effect ?? 'no decision'}${e.outcome ? `, ${e.outcome.kind}` : ''}`;
}

function str(key: string, value: string): KeyValue {
  return { key, value: { stringValue: value } };
}

function hexOf(text: string, length: number): string {
  return createHash('sha256').update(text).digest('hex').slice(0, length);
}
