import type { IpcHandlerDeps } from '../../main/ipc/ipc-handlers.js';

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
  };
}
