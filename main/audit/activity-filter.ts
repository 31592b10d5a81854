import type { ActivityFilter } from '../../shared/activity.js';
import { AuditEventKind, AuditOutcomeKind, type AuditEvent } from '../../shared/audit.js';
import { Effect } from '../../shared/decision.js';
import type { ActivityRows } from './activity-rows.js';
import { compileFilter } from './query.js';

/** A filter made ready for the rows: `key` names what it matches (the index caches results by it); `select` calls `hit` for each matching row in [from, to), in order. */
export type RowFilter = { key: string; select(rows: ActivityRows, from: number, to: number, hit: (i: number) => void): void };

/**
 * The Activity page's filter over the index's rows. Server and tool patterns are judged by the
 * CLI's own `compileFilter` (once per distinct name, not per row), so `--server`/`--tool` and the
 * page can never disagree; kind, decision and since compare as compileFilter does. `lastMs` is
 * resolved against `now`, to the second, so one key serves a second's worth of queries.
 */
export function compileRowFilter(filter: ActivityFilter, now: number): RowFilter {
  const kind = filter.kind !== undefined ? AuditEventKind.options.indexOf(filter.kind) : undefined;
  const decision = filter.decision !== undefined ? Effect.options.indexOf(filter.decision) : undefined;
  const outcome = filter.outcome !== undefined ? AuditOutcomeKind.options.indexOf(filter.outcome) : undefined;
  const recent = filter.lastMs !== undefined ? Math.floor(now / 1000) * 1000 - filter.lastMs : undefined;
  const since = recent === undefined ? filter.since : filter.since === undefined ? recent : Math.max(recent, filter.since);
  const until = filter.until;
  const needle = filter.text?.toLowerCase();
  const server = filter.server !== undefined ? namedMatcher(filter.server, 'server') : undefined;
  const tool = filter.tool !== undefined ? namedMatcher(filter.tool, 'tool') : undefined;
  const client = filter.client;
  const key = JSON.stringify([filter.kind, client, filter.server, filter.tool, filter.decision, filter.outcome, since, until, needle]);

  const matches = (rows: ActivityRows, i: number, clientNumber: number | undefined): boolean => {
    if (kind !== undefined && rows.kind[i] !== kind) return false;
    if (decision !== undefined && rows.decision[i] !== decision) return false;
    if (outcome !== undefined && rows.outcome[i] !== outcome) return false;
    if (since !== undefined && rows.time[i]! < since) return false;
    if (until !== undefined && rows.time[i]! > until) return false;
    if (client !== undefined && (clientNumber === undefined || rows.client[i] !== clientNumber)) return false;
    if (server && !server(rows, rows.tool[i]!, rows.server[i]!)) return false;
    if (tool && !tool(rows, rows.tool[i]!, rows.server[i]!)) return false;
    return true;
  };
  return {
    key,
    select(rows, from, to, hit) {
      const clientNumber = client !== undefined ? rows.clients.find(client) : undefined;
      if (client !== undefined && clientNumber === undefined) return;
      // The text first where there is one: one pass over the text pool finds the few candidates.
      if (needle !== undefined)
        rows.findText(needle, from, to, (i) => {
          if (matches(rows, i, clientNumber)) hit(i);
        });
      else for (let i = from; i < to; i++) if (matches(rows, i, clientNumber)) hit(i);
    },
  };
}

type NameMatcher = (rows: ActivityRows, tool: number, server: number) => boolean;

/** `compileFilter({ server })` or `({ tool })`, asked once per (tool, server) pair of interned names. */
function namedMatcher(pattern: string, field: 'server' | 'tool'): NameMatcher {
  const test = compileFilter(field === 'server' ? { server: pattern } : { tool: pattern });
  const seen = new Map<number, boolean>();
  return (rows, tool, server) => {
    const pair = field === 'server' ? server : tool * 0x200000 + (server + 1);
    let verdict = seen.get(pair);
    if (verdict === undefined) {
      // compileFilter reads only the server's name and the tool of an event for these two filters.
      const name = rows.servers.get(server);
      const probe = { ...(name !== undefined ? { server: { name } } : {}), ...(tool >= 0 ? { tool: rows.tools.get(tool) } : {}) } as AuditEvent;
      verdict = test(probe);
      seen.set(pair, verdict);
    }
    return verdict;
  };
}
