import type { Effect } from '../../../../shared/decision.js';
import type { DefaultName, GrantView } from '../../../../shared/policy-page.js';

/** The tag style of an effect: allow green, ask amber, deny red. */
export const effectTag: Record<Effect, string> = { allow: 'tag tag-ok', ask: 'tag tag-warn', deny: 'tag tag-bad' };

/** What each default means, in the words the page shows beside its value. */
export const defaultLabel: Record<DefaultName, string> = {
  tools: 'A call no rule matches',
  newServers: 'Calls to a server not yet approved',
  newTools: 'A tool that appears after the first list',
  promptTimeoutSeconds: 'A prompt nobody answers denies after',
  allowAlways: '"Always allow" in the prompt',
  maxGrant: 'Longest grant you can give',
  requireWrapping: 'Every MCP server must run through the guard',
};

export function sourceLabel(source: 'managed' | 'user' | 'default'): string {
  return source === 'managed' ? 'managed' : source === 'user' ? 'your policy' : 'built in';
}

export function grantScope(g: GrantView): string {
  switch (g.scope) {
    case 'server':
      return 'every tool of the server';
    case 'tool-any-args':
      return 'any arguments';
    case 'tool-exact-args':
      return `exactly the approved arguments (${g.argsHash ?? 'hash'}…)`;
  }
}

export function grantTool(g: GrantView): string {
  return g.tool ?? 'every tool';
}

export function grantClient(g: GrantView): string {
  return g.client === 'session' ? 'that client session only' : 'any client';
}

/** How long a grant lasts, as of `now`: "until the session ends", "expires 14:32 (in 12 min)". */
export function grantExpiry(g: GrantView, now: number): string {
  switch (g.lifetime.kind) {
    case 'once':
      return 'the next call only';
    case 'session':
      return 'until the client session ends';
    case 'always':
      return 'always, until revoked';
    case 'minutes':
      return g.expiresAt === null ? `${g.lifetime.minutes} minutes` : `until ${timeOf(g.expiresAt)} (${inWords(g.expiresAt - now)})`;
  }
}

export function timeOf(ms: number): string {
  return new Date(ms).toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** 754_000 → "in 13 min"; a past time → "expired". */
export function inWords(ms: number): string {
  if (ms <= 0) return 'expired';
  const minutes = Math.ceil(ms / 60_000);
  if (minutes < 60) return `in ${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `in ${hours} h`;
  return `in ${Math.round(hours / 24)} days`;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** Whose `ask` a grant answered: "managed policy", "your policy", "the defaults". */
export function askedBy(source: GrantView['source']): string {
  return source === 'managed' ? 'managed policy' : source === 'user' ? 'your policy' : 'the defaults';
}
