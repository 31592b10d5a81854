import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packageFromLaunch } from '../../main/policy/package-spec.js';
import { parsePolicyText } from '../../main/policy/parse-policy.js';
import { PolicyEngine } from '../../main/policy/policy-engine.js';
import { satisfies } from '../../main/policy/semver-range.js';
import type { PolicyDocument } from '../../shared/policy.js';
import { repoRoot } from '../helpers/paths.js';
import { alwaysGrant } from '../helpers/grants.js';
import { call, doc, rule } from './helpers.js';

const parsed = parsePolicyText(readFileSync(join(repoRoot, 'test', 'policy', 'issue-example.json'), 'utf8'));
if (!parsed.ok) throw new Error('issue example must validate');
const example: PolicyDocument = parsed.policy;

describe('the issue example, evaluated', () => {
  const engine = new PolicyEngine({ user: example });
  const fs = { name: 'filesystem', command: 'node', args: ['server.js'] };

  it('allows reading a file inside the project', () => {
    expect(engine.evaluate(call('filesystem', 'read_file', { server: fs, arguments: { path: '/home/dev/projects/a.ts' } }))).toMatchObject({
      effect: 'allow',
      rule: 'fs-read-project',
    });
  });

  it('does not apply the allow when the path argument is outside the project or missing', () => {
    expect(engine.evaluate(call('filesystem', 'read_file', { server: fs, arguments: { path: '/etc/passwd' } }))).toMatchObject({
      effect: 'ask',
      rule: 'default',
    });
    expect(engine.evaluate(call('filesystem', 'read_file', { server: fs, arguments: undefined })).effect).toBe('ask');
  });

  it('denies deletes on every server', () => {
    expect(engine.evaluate(call('github', 'delete_repo'))).toMatchObject({ effect: 'deny', rule: 'no-deletes', reason: 'deletes go through review' });
  });

  it('asks about an unpinned npx server on each of its calls, even a call a tool rule allows', () => {
    const unpinned = { name: 'filesystem', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem', '/home/dev'] };
    const d = engine.evaluate(call('filesystem', 'read_file', { server: unpinned, arguments: { path: '/home/dev/projects/a' } }));
    expect(d).toMatchObject({ effect: 'ask', rule: 'no-unpinned-npx', reason: 'unpinned package' });
    expect(d.matched.find((m) => m.rule === 'fs-read-project')).toMatchObject({ decided: false });
  });

  it('does not ask about a server launched with an exact version', () => {
    const pinned = { name: 'filesystem', command: 'npx', args: ['-y', '@modelcontextprotocol/server-filesystem@2026.8.31', '/home/dev'] };
    expect(engine.evaluate(call('filesystem', 'read_file', { server: pinned, arguments: { path: '/home/dev/projects/a' } })).effect).toBe('allow');
  });
});

describe('server rules match by name, command, package, url and executable hash', () => {
  const serverRule = (match: Record<string, unknown>, action: 'allow' | 'ask' | 'deny' = 'deny') =>
    new PolicyEngine({ managed: { version: 1, servers: [{ id: 's', match: match, action }] } });

  it('a server deny applies to each of its calls', () => {
    const engine = serverRule({ name: 'evil-*' });
    expect(engine.evaluate(call('evil-mail', 'send'))).toMatchObject({ effect: 'deny', rule: 's' });
    expect(engine.evaluate(call('good-mail', 'send')).effect).toBe('ask');
  });

  it('matches an exact argument list, and a command-line glob', () => {
    const exact = serverRule({ command: ['node', 'srv.js'] });
    expect(exact.evaluate(call('a', 't', { server: { name: 'a', command: 'node', args: ['srv.js'] } })).effect).toBe('deny');
    expect(exact.evaluate(call('a', 't', { server: { name: 'a', command: 'node', args: ['srv.js', '--x'] } })).effect).toBe('ask');
    const glob = serverRule({ command: 'docker run *' });
    expect(glob.evaluate(call('a', 't', { server: { name: 'a', command: 'docker', args: ['run', '-i', 'img'] } })).effect).toBe('deny');
  });

  it('matches npm packages by name and semver range; pinned tells exact versions from tags', () => {
    const range = serverRule({ package: 'npm:@acme/mcp@<2' });
    const launch = (spec: string) => call('a', 't', { server: { name: 'a', command: 'npx', args: ['-y', spec] } });
    expect(range.evaluate(launch('@acme/mcp@1.4.0')).effect).toBe('deny');
    expect(range.evaluate(launch('@acme/mcp@2.0.0')).effect).toBe('ask');
    // An unpinned launch may resolve to any version: deny and ask rules match it, allow rules do not.
    expect(range.evaluate(launch('@acme/mcp')).effect).toBe('deny');
    expect(serverRule({ package: 'npm:@acme/mcp@<2' }, 'allow').evaluate(launch('@acme/mcp')).effect).toBe('ask');
    const pinned = serverRule({ package: 'npm:*', pinned: true }, 'allow');
    expect(pinned.evaluate(launch('@acme/mcp@1.4.0')).effect).toBe('allow');
    expect(pinned.evaluate(launch('@acme/mcp@latest')).effect).toBe('ask');
  });

  it('matches pypi and oci packages; an OCI launch is pinned only by digest', () => {
    expect(
      serverRule({ package: 'pypi:mcp-server-*' }).evaluate(call('a', 't', { server: { name: 'a', command: 'uvx', args: ['mcp-server-git'] } })).effect,
    ).toBe('deny');
    const oci = serverRule({ package: 'oci:ghcr.io/acme/*', pinned: false });
    const digest = `ghcr.io/acme/mcp@sha256:${'a'.repeat(64)}`;
    expect(
      oci.evaluate(call('a', 't', { server: { name: 'a', command: 'docker', args: ['run', '-i', '--rm', '-e', 'X', 'ghcr.io/acme/mcp:1'] } })).effect,
    ).toBe('deny');
    expect(oci.evaluate(call('a', 't', { server: { name: 'a', command: 'docker', args: ['run', '-i', digest] } })).effect).toBe('ask');
  });

  it('matches remote servers by url glob and executables by sha256', () => {
    expect(serverRule({ url: 'https://*.example.com/*' }).evaluate(call('a', 't', { server: { name: 'a', url: 'https://mcp.example.com/v1' } })).effect).toBe(
      'deny',
    );
    const sha = 'ab'.repeat(32);
    expect(serverRule({ sha256: sha.toUpperCase() }).evaluate(call('a', 't', { server: { name: 'a', sha256: sha } })).effect).toBe('deny');
    expect(serverRule({ sha256: sha }).evaluate(call('a', 't', { server: { name: 'a', sha256: 'cd'.repeat(32) } })).effect).toBe('ask');
  });

  it('a server allow allows its tools unless a tool rule is stricter', () => {
    const engine = new PolicyEngine({
      user: { version: 1, servers: [{ id: 'trust-mem', match: { name: 'memory' }, action: 'allow' }], rules: [rule('no-wipe', 'mcp__memory__wipe', 'ask')] },
    });
    expect(engine.evaluate(call('memory', 'read_graph'))).toMatchObject({ effect: 'allow', rule: 'trust-mem' });
    expect(engine.evaluate(call('memory', 'wipe')).effect).toBe('ask');
  });

  it('a server the user has not approved gets defaults.newServers on every call', () => {
    const engine = new PolicyEngine({ user: doc([rule('ok', 'mcp__x__*', 'allow')], { defaults: { newServers: 'deny' } }) });
    expect(engine.evaluate(call('x', 't', { serverApproved: false }))).toMatchObject({ effect: 'deny', rule: 'default:new-server' });
    expect(engine.evaluate(call('x', 't', { serverApproved: true })).effect).toBe('allow');
  });

  it('no grant stands in for the approval of a new or changed server: its calls are asked until it is approved', () => {
    const engine = new PolicyEngine({ user: doc([], { defaults: { tools: 'ask', newServers: 'ask' } }) });
    const grants = [alwaysGrant('x', 't')];
    expect(engine.evaluate(call('x', 't', { serverApproved: true, grants })).effect).toBe('allow');
    expect(engine.evaluate(call('x', 't', { serverApproved: false, grants }))).toMatchObject({ effect: 'ask', rule: 'default:new-server' });
  });
});

describe('launch and version helpers', () => {
  it('finds the package in npx, pnpm dlx, uvx, pipx and docker launches', () => {
    expect(packageFromLaunch('npx', ['-y', '@a/b@1.0.0', '--flag'])).toBe('npm:@a/b@1.0.0');
    expect(packageFromLaunch('/usr/bin/pnpm', ['dlx', 'pkg'])).toBe('npm:pkg');
    expect(packageFromLaunch('uvx', ['--from', 'git-mcp==1.2', 'git-mcp'])).toBe('pypi:git-mcp==1.2');
    expect(packageFromLaunch('pipx', ['run', 'x'])).toBe('pypi:x');
    expect(packageFromLaunch('docker', ['run', '-i', '-v', '/a:/b', 'img:1'])).toBe('oci:img:1');
    expect(packageFromLaunch('node', ['server.js'])).toBeUndefined();
  });

  it('evaluates semver ranges', () => {
    expect(satisfies('1.4.0', '^1.2')).toBe(true);
    expect(satisfies('2.0.0', '^1.2')).toBe(false);
    expect(satisfies('0.2.5', '^0.2.3')).toBe(true);
    expect(satisfies('0.3.0', '^0.2.3')).toBe(false);
    expect(satisfies('1.2.9', '~1.2.3')).toBe(true);
    expect(satisfies('1.3.0', '~1.2.3')).toBe(false);
    expect(satisfies('3.0.0', '>=1 <2 || >=3')).toBe(true);
    expect(satisfies('1.5.0', '1.x')).toBe(true);
  });
});
