/**
 * The JSON-RPC 2.0 envelope, checked by hand: this runs for every message on the proxy's hot path,
 * where loading and running a schema library would cost more than the forwarding itself.
 */
export type RequestId = string | number;
export type JsonObject = Record<string, unknown>;

export type Classified =
  | { kind: 'request'; id: RequestId; method: string; message: JsonObject }
  | { kind: 'notification'; method: string; message: JsonObject }
  | { kind: 'response'; id: RequestId; message: JsonObject }
  | { kind: 'invalid'; id: RequestId | undefined; reason: string };

export const ErrorCode = {
  ParseError: -32700,
  InvalidRequest: -32600,
  MethodNotFound: -32601,
  InvalidParams: -32602,
  InternalError: -32603,
  /** Implementation-defined server errors: -32000 to -32099. */
  ServerUnavailable: -32000,
  RequestCancelled: -32800,
} as const;

export function isRequestId(value: unknown): value is RequestId {
  return typeof value === 'string' || (typeof value === 'number' && Number.isSafeInteger(value));
}

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sorts a parsed value into request, notification, response or invalid (with the reason). */
export function classify(value: unknown): Classified {
  if (!isObject(value)) return { kind: 'invalid', id: undefined, reason: 'a JSON-RPC message must be a JSON object' };
  const rawId = value['id'];
  const id = isRequestId(rawId) ? rawId : undefined;
  if (value['jsonrpc'] !== '2.0') return { kind: 'invalid', id, reason: '"jsonrpc" must be "2.0"' };
  const method = value['method'];
  if (method !== undefined) {
    if (typeof method !== 'string') return { kind: 'invalid', id, reason: '"method" must be a string' };
    if ('params' in value && !isObject(value['params']) && !Array.isArray(value['params'])) {
      return { kind: 'invalid', id, reason: '"params" must be an object or an array' };
    }
    if (!('id' in value)) return { kind: 'notification', method, message: value };
    if (id === undefined) return { kind: 'invalid', id, reason: '"id" must be a string or an integer' };
    return { kind: 'request', id, method, message: value };
  }
  if (id === undefined) return { kind: 'invalid', id, reason: 'a response needs a string or integer "id"' };
  const hasResult = 'result' in value;
  const hasError = 'error' in value;
  if (hasResult === hasError) return { kind: 'invalid', id, reason: 'a response has exactly one of "result" and "error"' };
  return { kind: 'response', id, message: value };
}

/** A key that keeps 1 and "1" apart, as JSON-RPC does. */
export function idKey(id: RequestId): string {
  return typeof id === 'number' ? `n${id}` : `s${id}`;
}

export function errorResponse(id: RequestId, code: number, message: string, data?: unknown): string {
  const error: JsonObject = { code, message };
  if (data !== undefined) error['data'] = data;
  return JSON.stringify({ jsonrpc: '2.0', id, error });
}

export function resultResponse(id: RequestId, result: unknown): string {
  return JSON.stringify({ jsonrpc: '2.0', id, result });
}

/**
 * Finds the top-level id of a message without parsing it all, for lines too large to buffer.
 * The last `}` of a valid line closes the top-level object, so `"id":X}` at the very end is
 * top-level; so is `"id"` as the first or second key after the opening brace.
 */
export function sniffId(head: string, tail: string): RequestId | undefined {
  const atEnd = /"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*\}\s*$/.exec(tail);
  const atStart = /^\s*\{\s*(?:"jsonrpc"\s*:\s*"2\.0"\s*,\s*)?"id"\s*:\s*(-?\d+|"(?:[^"\\]|\\.)*")\s*[,}]/.exec(head);
  const token = atEnd?.[1] ?? atStart?.[1];
  if (token === undefined) return undefined;
  try {
    const id: unknown = JSON.parse(token);
    return isRequestId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}

/**
 * How deep a message may nest objects and arrays. Deeper ones are refused where they are parsed,
 * so nothing after (re-serialising, hashing, redaction, schema checks: all recursive) can run out
 * of stack on them; no MCP message comes near it.
 */
export const MAX_NESTING = 128;

/** Whether `value` nests deeper than `limit` levels; iterative, so any depth is safe to ask about. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  if (typeof value !== 'object' || value === null) return false;
  const stack: Array<{ value: object; depth: number }> = [{ value, depth: 1 }];
  for (let top = stack.pop(); top; top = stack.pop()) {
    if (top.depth > limit) return true;
    const children: unknown[] = Array.isArray(top.value) ? top.value : Object.values(top.value);
    for (const child of children) {
      if (typeof child === 'object' && child !== null) stack.push({ value: child, depth: top.depth + 1 });
    }
  }
  return false;
}

/** The methods the proxy treats specially; a message that imitates one is never forwarded. */
const GOVERNED_METHODS = new Set(['tools/call', 'tools/list', 'initialize', 'server/discover', 'notifications/cancelled', 'notifications/initialized']);
/** What a lenient server may drop from a method name: controls, format (zero-width) and space characters, and a stray backslash. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s\\]/gu;

/**
 * The governed method `method` imitates (differing only in case, width, white space, zero-width or
 * control characters, or backslashes), which a lenient server might dispatch as that method; undefined if none.
 */
export function imitatedMethod(method: string): string | undefined {
  if (GOVERNED_METHODS.has(method)) return undefined;
  const folded = method.normalize('NFKC').replace(INVISIBLE, '').toLowerCase();
  if (GOVERNED_METHODS.has(folded)) return folded;
  // Case folding round the other way too: a server that compares upper-cased names reads "ı" as "i".
  const upperFolded = folded.toUpperCase().toLowerCase();
  return GOVERNED_METHODS.has(upperFolded) ? upperFolded : undefined;
}
