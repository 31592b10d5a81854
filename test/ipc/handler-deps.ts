import type { IpcHandlerDeps } from '../../main/ipc/ipc-handlers.js';
import type { PageContext } from '../../main/ipc/page-context.js';

/**
 * A page context for tests that only register the handlers: any use of it throws, so a handlers
 * file that reads its context before a channel is invoked fails these tests by name.
 */
export function unusedPageContext(): PageContext {
  return new Proxy({} as PageContext, {
    get: (_target, key) => {
      throw new Error(`this test has no page context (a handler read ctx.${String(key)} before it was invoked)`);
    },
  });
}

/** Handler deps for contract tests that exercise `app:version` only: the approvals desk refuses everything. */
export function handlerDeps(version = '9.8.7'): IpcHandlerDeps {
  const refused = { ok: false as const, reason: 'no desk in this test' };
  return {
    app: { version: () => version },
    approvals: {
      list: () => [],
      shown: () => undefined,
      interacting: () => undefined,
      answer: () => refused,
      review: () => refused,
      approveServer: () => refused,
    },
    status: () => ({ pendingApprovals: 0, proxies: 0, policy: { problems: [] } }),
    pages: unusedPageContext(),
  };
}
