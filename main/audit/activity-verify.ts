import type { ActivityProblem, ActivityVerifyResult } from '../../shared/activity.js';
import type { ActivityIndex } from './activity-index.js';
import type { AuditProblem } from './tail-recovery.js';
import { verifyAuditLog } from './verify.js';

const SEGMENT = /^audit-(\d{6,})\.jsonl$/;
const MAX_PROBLEM = 4000;

/**
 * `mcp-guard audit verify` for the page: the same walk of the chain (verifyAuditLog), its result
 * with the row at the broken place (or at each warning) when the index holds one, so the page
 * can open the event where the chain breaks.
 */
export async function verifyActivity(index: ActivityIndex, now: () => number): Promise<ActivityVerifyResult> {
  const result = await verifyAuditLog(index.dir);
  await index.ready();
  const checkedAt = now();
  if (!result.ok) return { ok: false, events: result.events, broken: problemOf(index, result.broken), checkedAt };
  return { ok: true, events: result.events, segments: result.segments, warnings: result.warnings.slice(0, 100).map((w) => problemOf(index, w)), checkedAt };
}

function problemOf(index: ActivityIndex, p: AuditProblem): ActivityProblem {
  const segment = SEGMENT.exec(p.file)?.[1];
  const seq = segment !== undefined && p.line !== undefined ? index.seqAt(Number(segment), p.line) : undefined;
  return {
    file: p.file.slice(0, 300),
    ...(p.line !== undefined ? { line: p.line } : {}),
    problem: p.problem.length > MAX_PROBLEM ? `${p.problem.slice(0, MAX_PROBLEM - 1)}…` : p.problem,
    ...(seq !== undefined ? { seq } : {}),
  };
}
