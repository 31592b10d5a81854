import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { Effect } from '../../shared/decision.js';
import { exportAuditLog, formatEventLine, type ExportFormat } from '../audit/export.js';
import { compileFilter, scanAuditLog, type AuditFilter, type AuditPosition, type AuditRecord } from '../audit/query.js';
import { verifyAuditLog } from '../audit/verify.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';

export const AUDIT_USAGE = `usage:
  mcp-guard audit tail [-f] [-n N|all] [--server S] [--tool T] [--decision D] [--since T] [--json]
  mcp-guard audit verify
  mcp-guard audit export --format jsonl|csv [--server S] [--tool T] [--decision D] [--since T]

options:
  --dir DIR         the audit directory (default: the guard's, see MCP_GUARD_HOME)
  -f, --follow      keep printing events as they are recorded (Ctrl-C to stop)
  -n N|all          how many of the latest matching events tail shows first (default 20; all with --since)
  --server S        only this server (* wildcards)
  --tool T          only this tool: its name or mcp__server__tool (* wildcards)
  --decision D      only calls that policy decided allow, ask or deny
  --since T         only events since T: an ISO time (2025-06-01T12:00:00Z) or a duration ago (30s, 10m, 2h, 7d)
  --json            tail prints the stored JSON lines instead of one readable line per event
  --format F        export as jsonl (the stored lines, hashes intact) or csv (one row per event)

verify walks the hash chain and checks that it reaches the head anchored in head.json: exit 0 with
the number of events verified, exit 1 at the first broken link, or where the log ends short of its
anchored head (file:line and what is wrong, e.g. the missing lines). CSV cells that a spreadsheet
would run as a formula get a leading '.`;

export class AuditUsageError extends Error {}

type AuditArgs = {
  action: 'tail' | 'verify' | 'export';
  dir: string;
  filter: AuditFilter;
  follow: boolean;
  count: number | 'all' | undefined;
  json: boolean;
  format: ExportFormat | undefined;
};

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000, w: 604_800_000 };

/** `--since` value: an ISO time, or a duration back from `now`. */
export function parseSince(value: string, now: number): number {
  const duration = /^(\d+(?:\.\d+)?)(ms|s|m|h|d|w)$/.exec(value);
  if (duration) return now - Number(duration[1]) * DURATION_UNITS[duration[2]!]!;
  const time = /^\d{4}-\d{2}-\d{2}/.test(value) ? Date.parse(value) : NaN;
  if (Number.isNaN(time)) throw new AuditUsageError(`--since "${value}": expected an ISO time like 2025-06-01T12:00:00Z or a duration like 10m, 2h, 7d`);
  return time;
}

export function parseAuditArgs(argv: readonly string[], env: NodeJS.ProcessEnv, now: number): AuditArgs {
  const [action, ...rest] = argv;
  if (action !== 'tail' && action !== 'verify' && action !== 'export') {
    throw new AuditUsageError(
      action === undefined ? 'give a subcommand: tail, verify or export' : `unknown subcommand "${action}": use tail, verify or export`,
    );
  }
  const args: AuditArgs = { action, dir: guardPaths(guardHome(env)).auditDir, filter: {}, follow: false, count: undefined, json: false, format: undefined };
  const filtering = action !== 'verify';
  for (let i = 0; i < rest.length; i++) {
    const flag = rest[i]!;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || (v.startsWith('-') && v.length > 1)) throw new AuditUsageError(`${flag} needs a value`);
      return v;
    };
    const only = (allowed: boolean, where: string) => {
      if (!allowed) throw new AuditUsageError(`${flag} is an option of ${where}, not of audit ${action}`);
    };
    switch (flag) {
      case '--dir':
        args.dir = value();
        break;
      case '-f':
      case '--follow':
        only(action === 'tail', 'audit tail');
        args.follow = true;
        break;
      case '-n': {
        only(action === 'tail', 'audit tail');
        const n = value();
        if (n !== 'all' && !/^\d+$/.test(n)) throw new AuditUsageError(`-n "${n}": expected a whole number or "all"`);
        args.count = n === 'all' ? 'all' : Number(n);
        break;
      }
      case '--json':
        only(action === 'tail', 'audit tail');
        args.json = true;
        break;
      case '--format': {
        only(action === 'export', 'audit export');
        const format = value();
        if (format !== 'jsonl' && format !== 'csv') throw new AuditUsageError(`--format "${format}": expected jsonl or csv`);
        args.format = format;
        break;
      }
      case '--server':
        only(filtering, 'audit tail and audit export');
        args.filter.server = value();
        break;
      case '--tool':
        only(filtering, 'audit tail and audit export');
        args.filter.tool = value();
        break;
      case '--decision': {
        only(filtering, 'audit tail and audit export');
        const decision = Effect.safeParse(value());
        if (!decision.success) throw new AuditUsageError(`--decision "${rest[i]}": expected allow, ask or deny`);
        args.filter.decision = decision.data;
        break;
      }
      case '--since':
        only(filtering, 'audit tail and audit export');
        args.filter.since = parseSince(value(), now);
        break;
      default:
        throw new AuditUsageError(`unknown option "${flag}" for audit ${action}`);
    }
  }
  if (action === 'export' && args.format === undefined) throw new AuditUsageError('audit export needs --format jsonl or --format csv');
  return args;
}

/** `mcp-guard audit tail|verify|export`: reads the log; never writes to it. */
export async function auditCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(AUDIT_USAGE + '\n');
    return 0;
  }
  let args: AuditArgs;
  try {
    args = parseAuditArgs(argv, process.env, Date.now());
  } catch (error) {
    if (!(error instanceof AuditUsageError)) throw error;
    process.stderr.write(`mcp-guard audit: ${error.message}\n${AUDIT_USAGE}\n`);
    return 2;
  }
  const info = await stat(args.dir).catch(() => undefined);
  if (!info?.isDirectory()) {
    process.stderr.write(`mcp-guard audit: no audit log at ${args.dir} (nothing recorded yet? give --dir DIR or set MCP_GUARD_HOME)\n`);
    return 1;
  }
  switch (args.action) {
    case 'verify':
      return verify(args.dir);
    case 'export': {
      const count = await exportAuditLog(args.dir, args.format!, process.stdout, args.filter);
      process.stderr.write(`mcp-guard audit: exported ${count} events\n`);
      return 0;
    }
    case 'tail':
      return tail(args);
  }
}

async function verify(dir: string): Promise<number> {
  const result = await verifyAuditLog(dir);
  if (!result.ok) {
    const { file, line, problem } = result.broken;
    process.stderr.write(`mcp-guard audit verify: ${join(dir, file)}${line !== undefined ? `:${line}` : ''}: ${problem}\n`);
    process.stderr.write(`the log does not verify there; ${result.events} events before it verified\n`);
    return 1;
  }
  for (const w of result.warnings)
    process.stderr.write(`mcp-guard audit verify: warning: ${join(dir, w.file)}${w.line !== undefined ? `:${w.line}` : ''}: ${w.problem}\n`);
  process.stdout.write(`${result.events} events verified in ${result.segments} segments of ${dir}\n`);
  return 0;
}

async function tail(args: AuditArgs): Promise<number> {
  const print = (record: AuditRecord) => process.stdout.write((args.json ? record.line : formatEventLine(record.event)) + '\n');
  const count = args.count ?? (args.filter.since !== undefined ? 'all' : 20);
  // First the latest `count` matching events, then (with -f) everything new from where that stopped.
  const latest: AuditRecord[] = [];
  let position: AuditPosition | undefined;
  const matches = compileFilter(args.filter);
  for await (const record of scanAuditLog(args.dir)) {
    position = record.next; // where following continues, matching or not
    if (!matches(record.event)) continue;
    if (count === 'all') print(record);
    else if (count > 0) {
      latest.push(record);
      if (latest.length > count) latest.shift();
    }
  }
  latest.forEach(print);
  if (!args.follow) return 0;
  const stop = new AbortController();
  process.once('SIGINT', () => stop.abort());
  process.stdout.once('error', () => stop.abort()); // reader went away (| head)
  for await (const record of scanAuditLog(args.dir, { filter: args.filter, follow: true, signal: stop.signal, ...(position ? { from: position } : {}) }))
    print(record);
  return 0;
}
