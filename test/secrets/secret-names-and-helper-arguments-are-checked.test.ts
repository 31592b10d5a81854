/**
 * What the Secrets page may name and show: a secret's name must suit its target (an environment
 * variable or a request header) and may not be one that changes how the server's process loads
 * code or one of the guard's own; a helper's arguments shaped like a credential are masked.
 */
import { describe, expect, it } from 'vitest';
import { maskedHelperCommand } from '../../main/secrets/helper-view.js';
import { secretNameProblem } from '../../main/secrets/secret-name.js';

describe('secret names', () => {
  it.each(['GITHUB_TOKEN', 'api_key', '_X1'])('takes %s as an environment variable', (name) => expect(secretNameProblem('env', name)).toBeUndefined());
  it.each([
    ['MY TOKEN', /not an environment variable name/],
    ['1TOKEN', /not an environment variable name/],
    ['A=B', /not an environment variable name/],
    ['LD_PRELOAD', /changes which code the server's process loads/],
    ['NODE_OPTIONS', /changes which code/],
    ['MCP_GUARD_TOKEN', /MCP Guard's own variables/],
    ['', /1 to 256 characters/],
  ])('refuses %j as an environment variable', (name, why) => expect(secretNameProblem('env', name)).toMatch(why));
  it.each(['Authorization', 'X-Api-Key'])('takes %s as a header', (name) => expect(secretNameProblem('header', name)).toBeUndefined());
  it.each([
    ['oauth:tokens', /not an HTTP header name/],
    ['X Api Key', /not an HTTP header name/],
    ['Host', /the HTTP client sets itself/],
    ['content-length', /the HTTP client sets itself/],
  ])('refuses %j as a header', (name, why) => expect(secretNameProblem('header', name)).toMatch(why));
});

describe('helper commands as the page shows them', () => {
  it('shows a plain command as it is', () => {
    expect(maskedHelperCommand(['gh', 'auth', 'token'])).toEqual({ command: ['gh', 'auth', 'token'], masked: 0 });
  });
  it('masks arguments shaped like a credential, a secret flag value, and the argument after a secret flag', () => {
    const token = 'ghp_' + 'A1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q7r8';
    expect(maskedHelperCommand(['curl', '-H', 'Bearer abcdefgh12345678', `--token=${token}`, '--password', 'hunter2', '--user', 'me', token])).toEqual({
      command: ['curl', '-H', '[secret]', '--token=[secret]', '--password', '[secret]', '--user', 'me', '[secret]'],
      masked: 4,
    });
  });
});
