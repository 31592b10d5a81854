// System notifications (main/app/notifications.ts): a prompt that arrives while no window of ours
// has focus is announced once, by tool and server; a click brings the prompt up; a policy file
// that stops validating is announced by file and problem. Electron's Notification is replaced by
// ./fake-electron-app.ts because the Electron binary cannot run here.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { GuardStatus } from '../../shared/approvals.js';
import { GuardNotifications } from '../../main/app/notifications.js';
import { Notification } from './fake-electron-app.js';
import { callPrompt, toolChangePrompt } from './sample-prompts.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

function notifications(focused = false) {
  const state = { focused, promptClicks: 0, policyClicks: 0 };
  const n = new GuardNotifications({ isAppFocused: () => state.focused, onPromptClick: () => state.promptClicks++, onPolicyClick: () => state.policyClicks++ });
  return { n, state };
}
const status = (problems: string[]): GuardStatus => ({ pendingApprovals: 0, proxies: 0, policy: { problems } });

beforeEach(() => {
  Notification.all.length = 0;
  Notification.supported = true;
});

describe('notifications (electron-mocked)', () => {
  it('announces a new prompt while no window of ours is focused, and a click focuses the prompt', () => {
    const { n, state } = notifications(false);
    n.prompts([callPrompt({ tool: 'create_issue', server: 'github' })]);
    expect(Notification.all.map((x) => x.options)).toEqual([{ title: 'MCP Guard', body: 'create_issue on github is waiting for you' }]);
    expect(Notification.all[0]!.shown).toBe(true);
    Notification.all[0]!.emit('click');
    expect(state.promptClicks).toBe(1);
  });

  it('stays quiet while a window of ours has focus: the prompt is in front of the user already', () => {
    const { n } = notifications(true);
    n.prompts([callPrompt()]);
    expect(Notification.all).toHaveLength(0);
  });

  it('announces each prompt once, not again when the list changes around it', () => {
    const { n } = notifications(false);
    const first = callPrompt();
    n.prompts([first]);
    n.prompts([first, callPrompt({ tool: 'delete_repo' })]);
    n.prompts([first]);
    expect(Notification.all.map((x) => x.options.body)).toEqual(['create_issue on github is waiting for you', 'delete_repo on github is waiting for you']);
  });

  it('sums up several prompts that arrive together in one notification', () => {
    const { n } = notifications(false);
    n.prompts([callPrompt({ tool: 'a' }), callPrompt({ tool: 'b' }), toolChangePrompt({ tool: 'read_file' })]);
    expect(Notification.all.map((x) => x.options.body)).toEqual(['3 approvals are waiting for you: a on github is waiting for you, and 2 more']);
  });

  it('names a changed tool, or the server instructions, for a tool-change prompt', () => {
    const { n } = notifications(false);
    n.prompts([toolChangePrompt({ tool: 'read_file', server: 'filesystem' })]);
    n.prompts([toolChangePrompt({ server: 'filesystem' })]);
    expect(Notification.all.map((x) => x.options.body)).toEqual([
      'read_file on filesystem changed and is held until you review it',
      'The instructions of filesystem changed; its tools are held until you review them',
    ]);
  });

  it('takes back a notification once every prompt it announced is settled', () => {
    const { n } = notifications(false);
    const p = callPrompt();
    n.prompts([p]);
    n.prompts([]);
    expect(Notification.all[0]!.closed).toBe(true);
  });

  it('announces a policy file problem when it appears (also at startup), by file and problem, once', () => {
    const { n, state } = notifications(true);
    const problem = 'mcp-guard: policy file /home/u/.mcp-guard/policy.json: rules[3].tool: expected a string; keeping the policy in force (version 41)';
    n.status(status([]));
    n.status(status([problem]));
    n.status(status([problem]));
    expect(Notification.all.map((x) => x.options)).toEqual([{ title: 'MCP Guard: a policy file has a problem', body: problem }]);
    Notification.all[0]!.emit('click');
    expect(state.policyClicks).toBe(1);
    n.status(status([]));
    n.status(status([problem]));
    expect(Notification.all).toHaveLength(2); // fixed, then broken again: said again
  });

  it('shows nothing where the OS has no notifications', () => {
    Notification.supported = false;
    const { n } = notifications(false);
    n.prompts([callPrompt()]);
    n.status(status(['broken']));
    expect(Notification.all).toHaveLength(0);
  });
});
