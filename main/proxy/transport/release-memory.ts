import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * Streaming a large result allocates one small Buffer per pipe read. V8 frees their off-heap
 * memory only when it collects their tiny wrappers, which it puts off until ~64 MB of garbage has
 * piled up; a minor collection now and then keeps the proxy's RSS flat instead.
 */
export function minorCollector(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as ((options: { type: 'minor' | 'major' }) => void) | undefined;
    if (typeof gc === 'function') return () => gc({ type: 'minor' });
  } catch {
    // Not offered by this runtime: memory is then bounded by V8's own heuristics.
  }
  return () => undefined;
}
