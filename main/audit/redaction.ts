import type { AuditEventInput } from '../../shared/audit.js';
import type { RedactionAction, RedactionRule } from '../../shared/redaction.js';
import { canonicalJson, sha256 } from '../common/canonical-json.js';
import { Glob } from '../policy/glob.js';

/** What replaces a secret value wherever it appears. */
export const SECRET_MARKER = '[secret]';

/** Shorter injected values are not scrubbed: they would blank ordinary text and protect nothing. */
export const MIN_SECRET_LENGTH = 4;
const MAX_DEPTH = 32;
/** Object keys whose scrubbing is remembered, per scrubber. */
const MAX_KEYS = 4096;

/** Values that look like credentials, whatever key they sit under. Replace callbacks keep the context. */
const CREDENTIAL_PATTERNS: ReadonlyArray<{ pattern: RegExp; replace: (match: string, ...groups: string[]) => string }> = [
  { pattern: /-----BEGIN[A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(?:-----END[A-Z0-9 ]*PRIVATE KEY-----|$)/g, replace: () => SECRET_MARKER },
  { pattern: /\b(?:gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,})/g, replace: () => SECRET_MARKER },
  { pattern: /\bsk-[A-Za-z0-9_-]{16,}/g, replace: () => SECRET_MARKER },
  { pattern: /\b(?:AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: () => SECRET_MARKER },
  { pattern: /\bxox[abposr]-[A-Za-z0-9-]{10,}/g, replace: () => SECRET_MARKER },
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]*/g, replace: () => SECRET_MARKER },
  // Authorization schemes; the token needs a digit or symbol, or 20+ letters, so prose like "Bearer authentication" stays.
  {
    pattern: /\b(Bearer|Basic)(\s+)(?:(?=[\w.~+/=-]*[0-9._~+/=-])[\w.~+/=-]{8,}|[A-Za-z]{20,})/gi,
    replace: (_m, scheme = '', space = '') => `${scheme}${space}${SECRET_MARKER}`,
  },
  // https://user:password@host
  { pattern: /([a-z][a-z0-9+.-]*:\/\/[^/\s:@]*):([^/\s@]+)@/gi, replace: (_m, head = '') => `${head}:${SECRET_MARKER}@` },
  // password=…, "api_key": "…", --token=… inside a longer string
  {
    pattern: /([\w-]*?(?:password|passwd|passphrase|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key)["']?\s*[=:]\s*["']?)([^\s"'&;,]+)/gi,
    replace: (_m, head = '') => `${head}${SECRET_MARKER}`,
  },
];

/** Cheap first look: a string none of the patterns could match skips them all. */
const MAYBE_CREDENTIAL =
  /-----BEGIN|gh[pousr]_|github_pat_|sk-|AKIA|ASIA|xox|eyJ|bearer|basic|:\/\/|pass|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key/i;

/** Keys whose values are credentials (compared lowercased, without separators). */
const SECRET_KEY = /(?:password|passwd|passphrase|secret|token|apikey|accesskey|privatekey|authorization|credentials?|cookie|sessionid)$|^(?:pwd|pass|auth)$/;
/** A command-line flag whose next argument is a credential: `--token abc`. */
const SECRET_FLAG = /^--?[\w-]*(?:password|passwd|passphrase|secret|token|api-?key|access-?key|private-?key|auth)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key.toLowerCase().replace(/[^a-z0-9]/g, ''));
}

/**
 * Replaces secret values by SECRET_MARKER: the values the caller knows are secrets (those injected
 * from the keychain, also inside longer strings, also URL-encoded), anything that looks like a
 * credential, and whatever sits under a key named like one (password, token, apiKey, …).
 * Output is always plain JSON; odd input (cycles, getters that throw, bigint, deep nesting) is
 * replaced by a marker instead of throwing. What it scrubs never changes once built.
 */
export class SecretScrubber {
  private readonly known: RegExp | undefined;
  private readonly keys = new Map<string, { secret: boolean; text: string }>();

  constructor(secretValues: Iterable<string> = []) {
    const variants = new Set<string>();
    for (const value of secretValues) {
      if (typeof value !== 'string' || value.length < MIN_SECRET_LENGTH) continue;
      variants.add(value);
      variants.add(encodeURIComponent(value));
      variants.add(JSON.stringify(value).slice(1, -1));
    }
    const sorted = [...variants].sort((a, b) => b.length - a.length).map(escapeRegExp);
    this.known = sorted.length > 0 ? new RegExp(sorted.join('|'), 'g') : undefined;
  }

  scrubString(text: string): string {
    let out = this.known ? text.replace(this.known, SECRET_MARKER) : text;
    if (!MAYBE_CREDENTIAL.test(out)) return out;
    for (const { pattern, replace } of CREDENTIAL_PATTERNS) out = out.replace(pattern, replace);
    return out;
  }

  /** A deep, JSON-safe copy of `value` with every secret replaced. */
  scrub(value: unknown): unknown {
    try {
      return this.walk(value, 0, []);
    } catch {
      return '[unreadable]';
    }
  }

  /** What a key becomes: the marker's trigger (a credential-like name) and its scrubbed text. Keys repeat from call to call. */
  private key(key: string): { secret: boolean; text: string } {
    let seen = this.keys.get(key);
    if (!seen) {
      seen = { secret: isSecretKey(key), text: this.scrubString(key) };
      if (this.keys.size >= MAX_KEYS) this.keys.clear();
      this.keys.set(key, seen);
    }
    return seen;
  }

  /** The event with its free-text fields scrubbed: arguments, detail, cwd, command, url and reason. */
  scrubEvent(event: AuditEventInput): AuditEventInput {
    const out: AuditEventInput = { ...event };
    if (event.arguments !== undefined) out.arguments = this.scrub(event.arguments);
    if (event.detail !== undefined) {
      const detail = this.scrub(event.detail);
      out.detail = isPlainRecord(detail) ? detail : { value: detail };
    }
    if (event.client?.cwd !== undefined) out.client = { ...event.client, cwd: this.scrubString(event.client.cwd) };
    if (event.server) {
      out.server = { ...event.server };
      if (event.server.command) out.server.command = this.scrubArgv(event.server.command);
      if (event.server.url !== undefined) out.server.url = this.scrubString(event.server.url);
    }
    if (event.decision) out.decision = { ...event.decision, reason: this.scrubString(event.decision.reason) };
    return out;
  }

  private scrubArgv(argv: readonly string[]): string[] {
    return argv.map((arg, i) => {
      const before = argv[i - 1];
      return before !== undefined && SECRET_FLAG.test(before) ? SECRET_MARKER : this.scrubString(arg);
    });
  }

  /** `path`: the objects from the root down to this value (at most MAX_DEPTH), to cut cycles. */
  private walk(value: unknown, depth: number, path: object[]): unknown {
    switch (typeof value) {
      case 'string':
        return this.scrubString(value);
      case 'number': {
        if (!Number.isFinite(value)) return null;
        const text = String(value);
        return this.scrubString(text) === text ? value : SECRET_MARKER;
      }
      case 'bigint':
        return this.scrubString(value.toString());
      case 'boolean':
        return value;
      case 'object':
        break;
      default:
        return undefined; // undefined, function, symbol: JSON has no such value
    }
    if (value === null) return null;
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (path.includes(value)) return '[circular]';
    path.push(value);
    try {
      const toJSON = (value as { toJSON?: unknown }).toJSON;
      if (typeof toJSON === 'function') return this.walk((toJSON as () => unknown).call(value), depth + 1, path);
      if (Array.isArray(value)) {
        const allStrings = value.every((v) => typeof v === 'string');
        if (allStrings) return this.scrubArgv(value);
        return value.map((item) => this.walk(item, depth + 1, path) ?? null);
      }
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value)) {
        let member: unknown;
        try {
          member = (value as Record<string, unknown>)[key];
        } catch {
          member = '[unreadable]';
        }
        const k = this.key(key);
        const scrubbed = k.secret && member !== null && member !== '' && typeof member !== 'boolean' ? SECRET_MARKER : this.walk(member, depth + 1, path);
        if (scrubbed !== undefined) Object.defineProperty(out, k.text, { value: scrubbed, enumerable: true, writable: true, configurable: true });
      }
      return out;
    } finally {
      path.pop();
    }
  }
}

/** A tool call as the redaction rules see it. */
export type RedactionSubject = { server: string; tool: string; arguments: unknown };

/**
 * The arguments as the audit event stores them, or `undefined` when dropped whole.
 *
 * Rules are tried in order and the FIRST rule whose `tool` pattern matches `mcp__<server>__<tool>`
 * decides; later rules are not consulted. Patterns use `*` as a wildcard, and `mcp__<server>` alone
 * matches every tool of that server. No matching rule means `keep`.
 * A per-argument map applies to top-level keys; keys it does not name follow its `*` entry, or are
 * kept. Arguments that are not an object follow `*` (or are kept).
 *
 * Secrets are ALWAYS scrubbed first (see SecretScrubber), so even a kept or hashed value never
 * carries one: `hash` stores `sha256:<hex>` of the scrubbed value (a string's UTF-8 bytes, anything
 * else its canonical JSON).
 */
export function redactArguments(call: RedactionSubject, rules: readonly RedactionRule[], secrets: SecretScrubber | ReadonlySet<string>): unknown {
  const scrubber = secrets instanceof SecretScrubber ? secrets : new SecretScrubber(secrets);
  const scrubbed = scrubber.scrub(call.arguments);
  const rule = rules.find((r) => toolPatternMatches(r.tool, call.server, call.tool));
  if (!rule) return scrubbed;
  if (typeof rule.arguments === 'string') return applyAction(rule.arguments, scrubbed);
  const perArgument = rule.arguments;
  const rest = perArgument['*'] ?? 'keep';
  if (!isPlainRecord(scrubbed)) return applyAction(rest, scrubbed);
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(scrubbed)) {
    const action = Object.hasOwn(perArgument, key) && key !== '*' ? perArgument[key]! : rest;
    const kept = applyAction(action, value);
    if (kept !== undefined) Object.defineProperty(out, key, { value: kept, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** Claude Code tool pattern against a server's tool: `mcp__github__*`, `mcp__*__read_*`, `mcp__github`. */
export function toolPatternMatches(pattern: string, server: string, tool: string): boolean {
  return compiledGlob(pattern).test(`mcp__${server}__${tool}`) || (!pattern.includes('*') && pattern === `mcp__${server}`);
}

/** Patterns come from policy, a handful per document: compile each once, not once per call. */
const globs = new Map<string, Glob>();
const MAX_GLOBS = 1024;

function compiledGlob(pattern: string): Glob {
  let glob = globs.get(pattern);
  if (!glob) {
    glob = new Glob(pattern);
    if (globs.size < MAX_GLOBS) globs.set(pattern, glob);
  }
  return glob;
}

function applyAction(action: RedactionAction, value: unknown): unknown {
  switch (action) {
    case 'keep':
      return value;
    case 'drop':
      return undefined;
    case 'hash':
      return sha256(typeof value === 'string' ? value : canonicalJson(value ?? null));
  }
}

function isPlainRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
