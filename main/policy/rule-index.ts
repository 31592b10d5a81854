import { hasWildcard } from './glob.js';

/**
 * Tool rules bucketed so a call looks at a few candidates, not every rule: exact tool names,
 * whole-server names (`mcp__github`), globs whose server part is literal (`mcp__github__read_*`,
 * bucketed by server), and the remaining globs (`mcp__*__delete_*`), which every call checks.
 */
export class RuleIndex<T> {
  private readonly exact = new Map<string, T[]>();
  private readonly byServer = new Map<string, T[]>();
  private readonly global: T[] = [];

  add(pattern: string, item: T): void {
    if (!hasWildcard(pattern)) {
      push(this.exact, pattern, item);
      return;
    }
    const key = bucketKey(pattern);
    if (key !== undefined && !hasWildcard(key)) push(this.byServer, key, item);
    else this.global.push(item);
  }

  /**
   * Appends the candidate lists for a call to `out`, in a fixed order. `qualified` is
   * `mcp__<server>__<tool>`. The caller reuses `out`, so evaluation allocates nothing here.
   */
  candidateLists(server: string, qualified: string, out: (readonly T[])[]): void {
    const exact = this.exact.get(qualified);
    if (exact) out.push(exact);
    const whole = this.exact.get(`mcp__${server}`);
    if (whole) out.push(whole);
    const key = bucketKey(qualified);
    const bucket = key !== undefined ? this.byServer.get(key) : undefined;
    if (bucket) out.push(bucket);
    if (this.global.length > 0) out.push(this.global);
  }
}

/** The text between `mcp__` and the next `__`, the same way for patterns and qualified names. */
function bucketKey(name: string): string | undefined {
  if (!name.startsWith('mcp__')) return undefined;
  const end = name.indexOf('__', 5);
  return end < 0 ? undefined : name.slice(5, end);
}

function push<T>(map: Map<string, T[]>, key: string, item: T): void {
  const list = map.get(key);
  if (list) list.push(item);
  else map.set(key, [item]);
}
