import type { ActivityEventDetail } from '../../shared/activity.js';
import { AuditEvent } from '../../shared/audit.js';
import type { ActivityIndex } from './activity-index.js';
import { ActivityLogChangedError, ActivityReader } from './activity-reader.js';
import { checkLine } from './chain.js';
import { segmentName } from './segments.js';

/** Arguments larger than this are left out of the detail (the page says so; export JSONL has them). */
export const DETAIL_MAX_ARGUMENT_BYTES = 1 << 20;

/**
 * One event in full, read back from its segment: the stored event, whether its line matches its
 * hash, and whether its `prev` is the hash of the event before it (its place in the chain).
 */
export async function readActivityEvent(index: ActivityIndex, seq: number): Promise<ActivityEventDetail> {
  await index.ready();
  const place = index.placeOf(seq);
  const { count, newest } = index.size;
  if (!place) {
    const holds = count > 0 ? `it holds #${newest - count + 1}–#${newest}` : 'it holds no events yet';
    throw new Error(`activity: there is no event #${seq} in the index (${holds}); older events go when retention deletes their segment`);
  }
  const before = index.placeOf(seq - 1);
  const reader = new ActivityReader(index.dir);
  try {
    const line = await reader.line(place);
    // A neighbour that no longer reads shows as an unlinked previous event, not as a failure of this one.
    const previousLine = before ? await reader.line(before).catch(() => undefined) : undefined;
    const file = segmentName(place.segment);
    const event = parseStored(line, `${file} line ${place.line}`);
    if (event.id !== place.id)
      throw new ActivityLogChangedError(`${file} line ${place.line} holds event ${event.id}, not ${place.id}: the file changed since it was read`);
    const check = checkLine(line);
    const detail: ActivityEventDetail = { seq, newest, position: { file, line: place.line }, event, hashValid: check.ok };
    if (before) {
      const hash = previousLine === undefined ? undefined : previousHash(previousLine);
      detail.previous = { seq: seq - 1, hash: hash ?? '(unreadable)', linked: hash !== undefined && hash === event.prev };
    }
    const argumentBytes = event.arguments === undefined ? 0 : Buffer.byteLength(JSON.stringify(event.arguments), 'utf8');
    if (argumentBytes > DETAIL_MAX_ARGUMENT_BYTES) {
      delete detail.event.arguments;
      detail.argumentsOmittedBytes = argumentBytes;
    }
    return detail;
  } finally {
    await reader.close();
  }
}

function parseStored(line: string, where: string): AuditEvent {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch {
    throw new ActivityLogChangedError(`${where} is no longer valid JSON (edited?); run "verify chain" to see where the log breaks`);
  }
  const parsed = AuditEvent.safeParse(raw);
  if (!parsed.success) throw new ActivityLogChangedError(`${where} no longer matches the audit event schema (edited?); run "verify chain"`);
  return parsed.data;
}

function previousHash(line: string): string | undefined {
  try {
    const hash = (JSON.parse(line) as { hash?: unknown }).hash;
    return typeof hash === 'string' && hash.length <= 100 ? hash : undefined;
  } catch {
    return undefined;
  }
}
