import { posix, win32 } from 'node:path';
import type { RiskHint } from '../../shared/decision.js';
import { CREDENTIALS } from '../common/credential-patterns.js';

/** MCP tool annotations as the server declared them (untrusted: hints, not facts). */
export type ToolAnnotations = {
  readOnlyHint?: boolean;
  destructiveHint?: boolean;
  idempotentHint?: boolean;
  openWorldHint?: boolean;
};

export type HintContext = {
  annotations?: ToolAnnotations | undefined;
  projectDir?: string | undefined;
  knownHosts?: ReadonlySet<string> | undefined;
};

const MAX_DEPTH = 8;
const MAX_STRINGS = 500;
const URL_START = /^(?:https?|wss?|ftp):\/\//i;

/**
 * Risk hints for a call: from the tool's annotations and from simple checks of its arguments.
 * They go on the Decision for the prompt and the audit log; they never change the effect.
 */
export function riskHints(args: unknown, ctx: HintContext): RiskHint[] {
  const hints: RiskHint[] = [];
  const a = ctx.annotations;
  if (a) {
    if (a.readOnlyHint === true) hints.push({ kind: 'read-only', detail: 'the server says this tool only reads' });
    if (a.destructiveHint === true && a.readOnlyHint !== true)
      hints.push({ kind: 'destructive', detail: 'the server says this tool may delete or overwrite data' });
    if (a.idempotentHint === true) hints.push({ kind: 'idempotent', detail: 'the server says repeating this call has no further effect' });
    if (a.openWorldHint === true) hints.push({ kind: 'open-world', detail: 'the server says this tool reaches outside systems' });
  }
  if (args === null || typeof args !== 'object') return hints;
  const seen: string[] = [];
  let budget = MAX_STRINGS;
  const visit = (value: unknown, name: string, depth: number): void => {
    if (budget <= 0) return;
    if (typeof value === 'string') {
      budget--;
      checkString(value, name, ctx, hints, seen);
    } else if (value !== null && typeof value === 'object' && depth < MAX_DEPTH) {
      if (Array.isArray(value)) for (let i = 0; i < value.length; i++) visit(value[i], `${name}[${i}]`, depth + 1);
      else for (const key of Object.keys(value)) visit((value as Record<string, unknown>)[key], name ? `${name}.${key}` : key, depth + 1);
    }
  };
  visit(args, '', 0);
  return hints;
}

function checkString(value: string, name: string, ctx: HintContext, hints: RiskHint[], seen: string[]): void {
  const add = (kind: RiskHint['kind'], detail: string) => {
    const key = `${kind}\u0000${detail}`;
    if (seen.includes(key)) return;
    seen.push(key);
    hints.push({ kind, detail });
  };
  for (const { kind, re } of CREDENTIALS) {
    if (re.test(value)) add('credential-in-arguments', `argument "${name}" looks like a ${kind}`);
  }
  if (ctx.knownHosts && URL_START.test(value)) {
    const host = hostOf(value);
    if (host !== undefined && !ctx.knownHosts.has(host)) add('new-host', `argument "${name}" points to ${host}, a host not seen before`);
  }
  if (ctx.projectDir !== undefined && !URL_START.test(value) && isOutside(value, ctx.projectDir)) {
    add('path-outside-project', `argument "${name}" names a path outside the project ${ctx.projectDir}`);
  }
}

function hostOf(url: string): string | undefined {
  try {
    return new URL(url).hostname.toLowerCase();
  } catch {
    return undefined;
  }
}

/** A path-looking value (absolute, `~`, or with `..`) that resolves outside `projectDir`. */
function isOutside(value: string, projectDir: string): boolean {
  if (value.length > 4096 || value.includes('\n')) return false;
  const windows = win32.isAbsolute(projectDir) && !posix.isAbsolute(projectDir);
  const path = windows ? win32 : posix;
  if (value.startsWith('~')) return true;
  const looksLikePath = path.isAbsolute(value) || value.startsWith('./') || value.startsWith('../') || value.includes(`${path.sep}..`);
  if (!looksLikePath) return false;
  const resolved = path.resolve(projectDir, value);
  const rel = path.relative(path.resolve(projectDir), resolved);
  return rel === '..' || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel);
}
