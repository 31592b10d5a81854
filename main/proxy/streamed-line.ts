/**
 * What a streamed server line turned out to be, from its TopLevelScanner: an answer to one request
 * (which the proxy then checks may be streamed), a request or notification of the server's, or a
 * line nobody can vouch for. Only a line read here as a whole object with one unambiguous top-level
 * id is an answer: several different ids, an id that is not a string or integer, or any problem
 * the scanner found leave it unvouched, and its closing byte is never sent.
 */
import { isRequestId, type RequestId } from './json-rpc.js';
import type { TopLevelScanner } from './transport/top-level-scanner.js';

export type StreamedLine =
  | { kind: 'answer'; id: RequestId; isProtocolError: boolean }
  | { kind: 'message' }
  /** `ids`: every top-level id it named that could be read, to answer those requests with an error. */
  | { kind: 'unvouched'; why: string; ids: RequestId[] };

export function readStreamedLine(shape: TopLevelScanner): StreamedLine {
  const ids = new Map<string, RequestId>();
  let badId = false;
  for (const raw of shape.ids) {
    const id = parseId(raw);
    if (id === undefined) badId = true;
    else ids.set(`${typeof id}:${id}`, id);
  }
  const named = [...ids.values()];
  const unvouched = (why: string): StreamedLine => ({ kind: 'unvouched', why, ids: named });
  if (shape.problem !== undefined) return unvouched(shape.problem);
  if (!shape.closed) return unvouched('the line ended before the message did');
  if (badId) return unvouched('an "id" that is not a string or an integer');
  if (named.length > 1) return unvouched('several different top-level "id"s');
  const id = named[0];
  if (shape.hasResult || shape.hasError) {
    if (id === undefined) return unvouched('an answer without an "id"');
    return { kind: 'answer', id, isProtocolError: shape.hasError };
  }
  if (shape.hasMethod) return { kind: 'message' };
  return unvouched('neither a request, a notification nor an answer');
}

function parseId(raw: string): RequestId | undefined {
  try {
    const id: unknown = JSON.parse(raw);
    return isRequestId(id) ? id : undefined;
  } catch {
    return undefined;
  }
}
