import type { ActivityApproval, ActivityRow } from '../../../../shared/activity.js';
import type { ApprovalAnswer, AuditEventKind, AuditOutcomeKind } from '../../../../shared/audit.js';
import type { Effect } from '../../../../shared/decision.js';

export const KIND_LABEL: Record<AuditEventKind, string> = {
  call: 'Tool call',
  'server-start': 'Server started',
  'server-stop': 'Server stopped',
  'pin-change': 'Tool definition changed',
  'policy-change': 'Policy changed',
  'grant-created': 'Grant created',
  'grant-revoked': 'Grant revoked',
  'server-refused': 'Server refused',
  'server-wrapped': 'Server wrapped',
  'server-unwrapped': 'Server unwrapped',
  'server-drift': 'Client config drifted',
  'server-approved': 'Server approved',
  'pin-approved': 'Tool change approved',
  'secret-changed': 'Secret changed',
  'policy-applied': 'Managed policy applied',
  'policy-refused': 'Managed policy refused',
  'ship-rejected': 'Events refused by a collector',
  'ship-gap': 'Events lost before shipping',
  inventory: 'Fleet inventory',
};

export const DECISION_LABEL: Record<Effect, string> = { allow: 'Allowed', ask: 'Asked', deny: 'Denied' };

export const OUTCOME_LABEL: Record<AuditOutcomeKind, string> = {
  ok: 'OK',
  'tool-error': 'Tool error',
  'protocol-error': 'Protocol error',
  denied: 'Denied',
  timeout: 'Timed out',
  cancelled: 'Cancelled',
  'server-exited': 'Server exited',
};

export const ANSWER_LABEL: Record<ApprovalAnswer, string> = {
  deny: 'denied',
  'allow-once': 'allowed once',
  'allow-session': 'allowed for the session',
  'allow-timed': 'allowed for a while',
  'allow-always': 'allowed always',
};

/** The tag style of a decision or outcome: ok, warn (asked, errors) or bad (denied). */
export function decisionTone(effect: Effect): 'tag-ok' | 'tag-warn' | 'tag-bad' {
  return effect === 'allow' ? 'tag-ok' : effect === 'ask' ? 'tag-warn' : 'tag-bad';
}

export function outcomeTone(outcome: AuditOutcomeKind): 'tag-ok' | 'tag-warn' | 'tag-bad' {
  if (outcome === 'ok') return 'tag-ok';
  if (outcome === 'denied' || outcome === 'timeout') return 'tag-bad';
  return 'tag-warn';
}

/** How the table says an answer, short: "alice: once", "alice: until 14:15", "timed out". */
export function shortAnswer(approval: ActivityApproval): string {
  if (approval.approver === 'timeout') return 'timed out';
  const how: Record<ApprovalAnswer, string> = {
    deny: 'denied',
    'allow-once': 'once',
    'allow-session': 'this session',
    'allow-timed': approval.until !== undefined ? `until ${shortTime.format(approval.until)}` : 'for a while',
    'allow-always': 'always',
  };
  return `${approval.approver}: ${how[approval.answer]}`;
}

/** "allowed for the session by alice (exact arguments)", or "timed out" for the prompt's own timeout. */
export function answerText(approval: ActivityApproval): string {
  if (approval.approver === 'timeout') return 'nobody answered: the prompt timed out';
  const scope = approval.scope === 'exact-arguments' ? ', exactly these arguments' : approval.scope === 'any-arguments' ? ', any arguments' : '';
  const until = approval.until !== undefined ? ` until ${formatTime(approval.until)}` : '';
  return `${ANSWER_LABEL[approval.answer]}${until} by ${approval.approver}${scope}`;
}

const timeFormat = new Intl.DateTimeFormat(undefined, {
  year: 'numeric',
  month: 'short',
  day: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});
const shortTime = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export function formatTime(ms: number): string {
  return timeFormat.format(ms);
}

const rangeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });

/** "between Dec 3, 2026, 10:56 PM and 1:58 AM" (the shared parts said once). */
export function formatRange(from: number, to: number): string {
  const [start, ...rest] = rangeFormat.formatRange(from, to).split(/\s–\s/);
  return rest.length > 0 ? `between ${start} and ${rest.join(' – ')}` : `at ${start}`;
}

/** Today's events by their time alone; older ones with their day. */
export function formatRowTime(ms: number, now: number): { time: string; day: string | undefined } {
  const sameDay = new Date(ms).toDateString() === new Date(now).toDateString();
  return { time: shortTime.format(ms), day: sameDay ? undefined : shortDate.format(ms) };
}

/** The one-line summary a screen reader hears for a row's button. */
export function rowSummary(row: ActivityRow): string {
  const what = row.kind === 'call' ? `${row.tool ?? 'a tool'} on ${row.server ?? 'an unnamed server'}` : KIND_LABEL[row.kind];
  const decision = row.decision ? `, ${DECISION_LABEL[row.decision].toLowerCase()}` : '';
  return `Event ${row.seq}: ${what}${decision}, ${formatTime(row.time)}`;
}

export function plural(n: number, one: string, many: string): string {
  return `${n.toLocaleString()} ${n === 1 ? one : many}`;
}
