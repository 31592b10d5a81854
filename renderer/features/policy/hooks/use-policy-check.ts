import { useEffect, useRef, useState } from 'react';
import type { PolicyCheckResult, PolicyCheckTarget } from '../../../../shared/policy-page.js';
import { useGuard } from '../../../bridge/guard-context.js';

/** How long typing pauses before the text is checked. */
const CHECK_DELAY_MS = 150;

export type CheckState = { checking: boolean; result: PolicyCheckResult | undefined; error: string | undefined };

/**
 * Checks `target` as the user types, through `policy:check` (the validator `mcp-guard policy
 * check` runs, in main): shortly after each pause; an answer to an older text is dropped.
 */
export function usePolicyCheck(target: PolicyCheckTarget | undefined, key: string): CheckState {
  const guard = useGuard();
  const [state, setState] = useState<CheckState>({ checking: target !== undefined, result: undefined, error: undefined });
  const latest = useRef(0);
  useEffect(() => {
    if (target === undefined) return;
    const request = ++latest.current;
    setState((s) => ({ ...s, checking: true }));
    const timer = setTimeout(() => {
      guard.policy.check(target).then(
        (result) => request === latest.current && setState({ checking: false, result, error: undefined }),
        (e: unknown) => request === latest.current && setState({ checking: false, result: undefined, error: e instanceof Error ? e.message : String(e) }),
      );
    }, CHECK_DELAY_MS);
    return () => clearTimeout(timer);
    // `target` is a new object on every render; `key` says when it is another text.
  }, [guard, key]);
  return state;
}
