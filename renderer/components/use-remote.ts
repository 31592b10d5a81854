import { useCallback, useEffect, useRef, useState } from 'react';

/** A value the page loads from the service: loading first, then ready or failed, and reloadable. */
export type Remote<T> =
  | { state: 'loading'; reload: () => void }
  | { state: 'error'; error: string; reload: () => void }
  | { state: 'ready'; value: T; reload: () => void; refreshing: boolean };

/**
 * Loads `load()` now and whenever `deps` change or `reload()` is called. A reload keeps showing the
 * last value (with `refreshing`) rather than flashing back to loading; an answer that arrives after a
 * newer request was made is dropped, so a slow reply never overwrites a newer one.
 */
export function useRemote<T>(load: () => Promise<T>, deps: readonly unknown[]): Remote<T> {
  const [state, setState] = useState<{ kind: 'loading' } | { kind: 'error'; error: string } | { kind: 'ready'; value: T; refreshing: boolean }>({
    kind: 'loading',
  });
  const [generation, setGeneration] = useState(0);
  const latest = useRef(0);
  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  useEffect(() => {
    const request = ++latest.current;
    setState((s) => (s.kind === 'ready' ? { ...s, refreshing: true } : { kind: 'loading' }));
    load().then(
      (value) => request === latest.current && setState({ kind: 'ready', value, refreshing: false }),
      (error: unknown) => request === latest.current && setState({ kind: 'error', error: error instanceof Error ? error.message : String(error) }),
    );
    // `load` is a new closure on every render; `deps` say when it loads something else.
  }, [...deps, generation]);
  if (state.kind === 'ready') return { state: 'ready', value: state.value, refreshing: state.refreshing, reload };
  if (state.kind === 'error') return { state: 'error', error: state.error, reload };
  return { state: 'loading', reload };
}
