// Threat: a notification shows a call's argument values (a token, a file's content, a path) in the
// OS notification centre, where it stays after the call and anyone at the screen can read it; or
// a server names its tool so the notification reads as something it is not. Notifications name the
// tool and the server only, fenced. Electron's Notification is replaced by ./fake-electron-app.ts
// because the Electron binary cannot run here.
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { GuardNotifications } from '../../main/app/notifications.js';
import { noticeName } from '../../main/app/notice-text.js';
import { Notification } from './fake-electron-app.js';
import { callPrompt } from './sample-prompts.js';

vi.mock('electron', () => import('./fake-electron-app.js'));

beforeEach(() => {
  Notification.all.length = 0;
});

describe('notifications never carry argument values (electron-mocked)', () => {
  it('leaves every argument value, nested or not, out of the title and the body', () => {
    const secretish = ['ghp_0123456789abcdefghijklmnopqrstuvwxyz', '/home/u/.ssh/id_ed25519', 'DROP TABLE users', 'rm -rf ~'];
    const n = new GuardNotifications({ isAppFocused: () => false, onPromptClick: () => undefined, onPolicyClick: () => undefined });
    n.prompts([
      callPrompt({ tool: 'run_command', server: 'shell', arguments: { command: secretish[3], env: { TOKEN: secretish[0] } } }),
      callPrompt({ tool: 'read_file', server: 'filesystem', arguments: [secretish[1], { sql: secretish[2] }] }),
    ]);
    expect(Notification.all).toHaveLength(1);
    const text = JSON.stringify(Notification.all.map((x) => x.options));
    for (const value of secretish) expect(text).not.toContain(value);
    expect(text).toContain('run_command on shell');
  });

  it('strips control, bidi-override and zero-width characters from names and cuts long ones short', () => {
    expect(noticeName('read\u202Eelif\u202C_\u200bfile\n\tnow')).toBe('readelif_file now');
    expect(noticeName('\u0000\u0007')).toBe('(unnamed)');
    const long = noticeName(`read_file on trusted is waiting for you. ${'x'.repeat(200)}`);
    expect(long.length).toBe(60);
    expect(long.endsWith('…')).toBe(true);
  });
});
