import { describe, expect, it } from 'vitest';
import { serverEnvironment } from '../../../main/proxy/transport/stdio-upstream.js';

describe("the real server's environment", () => {
  const parent = { PATH: '/usr/bin', MCP_GUARD_TOKEN_FILE: '/x', mcp_guard_socket: '/y', ELECTRON_RUN_AS_NODE: '1', GITHUB_TOKEN: 'from-client' };

  it("never holds the guard's own variables, and gets the launch spec's on top", () => {
    expect(serverEnvironment(parent, { GITHUB_TOKEN: 'from-keychain' }, false)).toEqual({
      PATH: '/usr/bin',
      ELECTRON_RUN_AS_NODE: '1',
      GITHUB_TOKEN: 'from-keychain',
    });
  });

  it('drops the ELECTRON_RUN_AS_NODE the packaged launcher set when the proxy runs on the app runtime', () => {
    expect(serverEnvironment(parent, {}, true)).toEqual({ PATH: '/usr/bin', GITHUB_TOKEN: 'from-client' });
  });
});
