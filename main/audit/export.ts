import type { AuditEvent } from '../../shared/audit.js';
import { scanAuditLog, type AuditFilter } from './query.js';

export type ExportFormat = 'jsonl' | 'csv';

/** CSV columns, in order: a flat path into the event; nested values (arguments, command, detail) are JSON. */
const CSV_COLUMNS: ReadonlyArray<[header: string, get: (e: AuditEvent) => unknown]> = [
  ['id', (e) => e.id],
  ['time', (e) => e.time],
  ['kind', (e) => e.kind],
  ['device_id', (e) => e.deviceId],
  ['os_user', (e) => e.osUser],
  ['client_name', (e) => e.client?.name],
  ['client_version', (e) => e.client?.version],
  ['client_pid', (e) => e.client?.pid],
  ['client_cwd', (e) => e.client?.cwd],
  ['server_name', (e) => e.server?.name],
  ['server_command', (e) => e.server?.command],
  ['server_url', (e) => e.server?.url],
  ['server_package', (e) => e.server?.package],
  ['tool', (e) => e.tool],
  ['arguments', (e) => e.arguments],
  ['decision_effect', (e) => e.decision?.effect],
  ['decision_layer', (e) => e.decision?.layer],
  ['decision_rule', (e) => e.decision?.rule],
  ['decision_reason', (e) => e.decision?.reason],
  ['decision_monitored', (e) => e.decision?.monitored],
  ['approval_approver', (e) => e.approval?.approver],
  ['approval_answer', (e) => e.approval?.answer],
  ['approval_until', (e) => e.approval?.until],
  ['approval_scope', (e) => e.approval?.scope],
  ['latency_ms', (e) => e.latencyMs],
  ['outcome', (e) => e.outcome?.kind],
  ['outcome_size_bytes', (e) => e.outcome?.sizeBytes],
  ['outcome_code', (e) => e.outcome?.code],
  ['detail', (e) => e.detail],
  ['prev', (e) => e.prev],
  ['hash', (e) => e.hash],
];

export function csvHeader(): string {
  return CSV_COLUMNS.map(([header]) => header).join(',');
}

/** One RFC 4180 row (no line break at the end). */
export function csvRow(event: AuditEvent): string {
  return CSV_COLUMNS.map(([, get]) => csvCell(get(event))).join(',');
}

/**
 * A CSV cell: objects and arrays as JSON; quoted when it holds a comma, quote, CR or LF (quotes
 * doubled). A text a spreadsheet would run as a formula (starting with = + - @ tab or CR) gets a
 * leading `'`: arguments come from an agent, and an export must not become code in the reader's
 * spreadsheet.
 */
export function csvCell(value: unknown): string {
  if (value === undefined || value === null) return '';
  let text = typeof value === 'string' ? value : JSON.stringify(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export type ExportSink = { write(chunk: string): boolean; once(event: 'drain', listener: () => void): unknown };

/**
 * Writes the matching events to `out`: JSONL exactly as stored (so the hashes can still be
 * checked), or CSV with a header row. Honours backpressure. Returns the number of events.
 */
export async function exportAuditLog(dir: string, format: ExportFormat, out: ExportSink, filter: AuditFilter = {}): Promise<number> {
  let count = 0;
  const write = async (text: string) => {
    if (!out.write(text)) await new Promise<void>((resolve) => out.once('drain', resolve));
  };
  if (format === 'csv') await write(csvHeader() + '\r\n');
  for await (const record of scanAuditLog(dir, { filter })) {
    await write(format === 'csv' ? csvRow(record.event) + '\r\n' : record.line + '\n');
    count++;
  }
  return count;
}

/** One line for a person reading `audit tail`: time, kind, server/tool, decision, answer, outcome. */
export function formatEventLine(event: AuditEvent): string {
  const parts = [event.time, event.kind.padEnd(13)];
  const target = [event.server?.name, event.tool].filter((p) => p !== undefined).join('/');
  if (target) parts.push(target);
  if (event.decision) parts.push(`${event.decision.effect} (${event.decision.layer}:${event.decision.rule})`);
  if (event.approval) parts.push(`answer=${event.approval.answer} by ${event.approval.approver}`);
  if (event.outcome) parts.push(event.outcome.sizeBytes !== undefined ? `${event.outcome.kind} ${event.outcome.sizeBytes}B` : event.outcome.kind);
  if (event.latencyMs !== undefined) parts.push(`${Math.round(event.latencyMs)}ms`);
  if (event.client) parts.push(`client=${event.client.name}${event.client.version ? '@' + event.client.version : ''}`);
  if (event.decision?.reason) parts.push(`— ${event.decision.reason}`);
  // Control characters from arguments or names could rewrite the terminal.
  return parts.join('  ').replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, '?'); // eslint-disable-line no-control-regex -- deliberately matches them
}
