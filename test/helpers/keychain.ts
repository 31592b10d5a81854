import { randomBytes } from 'node:crypto';

/**
 * Keychain tests use the real OS keychain. On Linux that is the private, unlocked gnome-keyring of
 * test/setup/keyring-session.sh (never the desktop's own): without it they fail, not skip, so a run
 * that cannot reach a keychain does not pass by testing nothing.
 */
export function requireKeychain(): void {
  if (process.platform !== 'linux') return;
  if (!process.env['DBUS_SESSION_BUS_ADDRESS'] || !process.env['MCP_GUARD_TEST_KEYRING'])
    throw new Error('this test needs a keychain: run the tests through npm test (test/setup/keyring-session.sh gives them a keychain)');
}

/** A server id no other test (or real wrapped server) uses, so tests in parallel never share an item. */
export function testServerId(label: string): string {
  return `claude-code/user/kc-test-${label}-${randomBytes(4).toString('hex')}`;
}
