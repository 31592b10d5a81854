import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';
import { FULL_CONFIG, writeManaged } from '../sync/managed-config-fixtures.js';

const OS_LOCATION = '/etc/mcp-guard/managed.json';

function cli(args: string[], managedConfig?: string) {
  const home = tempDir('mcp-guard-cli-');
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: home, MCP_GUARD_HOME: join(home, 'guard') };
  if (managedConfig !== undefined) env['MCP_GUARD_MANAGED_CONFIG'] = managedConfig;
  const r = spawnSync(process.execPath, [cliPath, ...args], { encoding: 'utf8', env });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('mcp-guard sync status', () => {
  beforeAll(() => {
    // With a real managed configuration on this machine the override could be ignored, and these tests would prove nothing.
    expect(existsSync(OS_LOCATION), `${OS_LOCATION} exists on this machine; run these tests where it does not`).toBe(false);
  });

  it('is listed in the usage text', () => {
    expect(cli(['--help']).stdout).toMatch(/^ {2}sync +central management/m);
  });

  it('says there is no managed configuration and exits 0 when there is none', () => {
    const r = cli(['sync', 'status']);
    expect(r).toMatchObject({ code: 0, stderr: '' });
    expect(r.stdout).toContain(`managed configuration: ${OS_LOCATION} (the OS location)`);
    expect(r.stdout).toContain('state: absent');
  });

  it('shows a valid file from MCP_GUARD_MANAGED_CONFIG and what it sets, and exits 1 while no signed policy has verified (lock-down)', () => {
    const file = writeManaged(FULL_CONFIG);
    const r = cli(['sync', 'status'], file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'managed policy is locked down, every call is denied: no signed policy has been received from https://policy.example.com/mcp-guard/policy.jws',
    );
    expect(r.stdout).toContain(`managed configuration: ${file} (from MCP_GUARD_MANAGED_CONFIG)`);
    expect(r.stdout).toContain('state: valid');
    expect(r.stdout).toContain(
      'policy: https://policy.example.com/mcp-guard/policy.jws, https://cdn.example.net/policy.jws every 600 s; trust root /etc/mcp-guard/root.jws',
    );
    expect(r.stdout).toContain('collector splunk: splunk-hec https://hec.example.com:8088 (credential: keychain "hec-token")');
    expect(r.stdout).toContain('collector syslog: syslog-tls siem.example.com:6514');
    expect(r.stdout).toContain('locked: requireWrapping=true, maxGrant=PT8H, allowAlways=false, userRules=false, promptTimeoutSeconds=120');
  });

  it('prints every problem of an invalid file with file, JSON path and value, and exits 1', () => {
    const file = writeManaged({ ...FULL_CONFIG, policy: { urls: ['http://policy.example.com/'] }, whenUnavailable: 'allow-all', extra: true });
    const r = cli(['sync', 'status'], file);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain('state: refused, nothing in it is in force (3 problems, on stderr)');
    expect(r.stderr).toContain(`mcp-guard: managed configuration ${file}: policy.urls[0]: expected an https:// URL (found "http://policy.example.com/")\n`);
    expect(r.stderr).toContain(`mcp-guard: managed configuration ${file}: whenUnavailable: `);
    expect(r.stderr).toContain(`mcp-guard: managed configuration ${file}: extra: unknown field`);
  });

  it('refuses a file others may write, and exits 1', () => {
    const file = writeManaged(FULL_CONFIG, 0o666);
    const r = cli(['sync', 'status'], file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      `${file}: (root): refused: a user who is not an administrator could change it: file ${file} is writable by its group and others (mode 0666)`,
    );
  });

  it('--json gives the whole read: state, source and problems', () => {
    const file = writeManaged({ version: 1, locked: { promptTimeoutSeconds: 1 } });
    const r = cli(['sync', 'status', '--json'], file);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({
      managedConfig: {
        state: 'refused',
        source: { file, from: 'override', osLocation: OS_LOCATION },
        problems: [{ file, path: 'locked.promptTimeoutSeconds' }],
      },
    });
  });

  it('exits 2 on a usage error', () => {
    expect(cli(['sync']).code).toBe(2);
    expect(cli(['sync', 'status', '--verbose'])).toMatchObject({ code: 2, stderr: expect.stringContaining('unknown option "--verbose"') });
    expect(cli(['sync', 'later']).code).toBe(2);
  });
});
