/**
 * Request headers whose values change while the proxy runs: a credential helper's output once its
 * TTL passes, an OAuth access token once it is refreshed. The HTTP upstream asks its source before
 * every request; a source answers at once (no promise, so no await on the request path) while what
 * it holds is still good, and with a promise only when it has to fetch a value again.
 */

export type HeaderValues = Readonly<Record<string, string>>;

export interface HeaderSource {
  headers(): HeaderValues | Promise<HeaderValues>;
}

/** A header value could not be had; the message names the header and what to do, never a value. */
export class HeaderSourceError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'HeaderSourceError';
  }
}

const NONE: HeaderValues = Object.freeze({});

/** Several sources as one: later ones win a header both set (OAuth's Authorization over nothing else's). */
export function combineHeaderSources(sources: readonly HeaderSource[]): HeaderSource | undefined {
  if (sources.length <= 1) return sources[0];
  let last: HeaderValues[] = [];
  let merged = NONE;
  const merge = (parts: HeaderValues[]): HeaderValues => {
    // Same objects as last time: the same merged object, so the upstream sees nothing changed.
    if (parts.length === last.length && parts.every((p, i) => p === last[i])) return merged;
    last = parts;
    merged = Object.freeze(Object.assign({}, ...parts) as Record<string, string>);
    return merged;
  };
  return {
    headers: () => {
      const parts = sources.map((s) => s.headers());
      if (parts.some((p) => p instanceof Promise)) return Promise.all(parts.map((p) => Promise.resolve(p))).then(merge);
      return merge(parts as HeaderValues[]);
    },
  };
}
