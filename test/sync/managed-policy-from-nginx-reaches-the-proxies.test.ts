import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDocument } from '../../shared/policy.js';
import type { BundlePayload } from '../../shared/signed-policy.js';
import { startGuard, type RunningGuard } from '../../main/service/start-guard.js';
import type { KeyPair } from '../../main/sync/ed25519-keys.js';
import { allAdapters } from '../../main/clients/adapters.js';
import { thisMachine } from '../../main/clients/machine.js';
import { identityOf, nodeIdentityFs } from '../../main/clients/server-identity.js';
import { FleetInventory } from '../../shared/fleet-inventory.js';
import { makeTestCa, TestNginx } from '../helpers/nginx.js';
import { cliPath, realServers } from '../helpers/paths.js';
import { ALLOW_ALL, guardHomeWith, tempDir } from '../helpers/proxy.js';
import { auditEvents, until } from '../helpers/service.js';
import { writeManaged } from './managed-config-fixtures.js';
import { keyPairs, rootPayload, signedBundle, signedRoot } from './signing-fixtures.js';

const run = promisify(execFile);
const DAY = 86_400_000;
const at = (days: number) => new Date(Date.now() + days * DAY).toISOString();

/** The managed policy of each version: v1 lets the echo tool run, v2 and later deny it. */
const policyOf = (version: number): PolicyDocument => ({
  version: 1,
  defaults: { tools: 'allow' },
  ...(version >= 2 ? { rules: [{ id: 'no-echo', tool: 'mcp__everything__echo', action: 'deny', reason: `managed v${version}` }] } : {}),
});
const payload = (version: number): BundlePayload => ({ version, issuedAt: at(0), expiresAt: at(30), policy: policyOf(version) });

// The whole path IT uses, on loopback: a real nginx over TLS (a test CA made with openssl) serving
// the signed root and bundle, the guard service fetching them (startGuard, as serve and the app
// run it), and a real proxy (`mcp-guard run`) in front of server-everything deciding the calls of
// an SDK client with the managed layer it loads from the guard's last good store.
describe('signed managed policy from nginx, in force at the proxies', () => {
  let nginx: TestNginx;
  let keys: KeyPair[];
  let root: string;
  let bundle2: string;
  let home: string;
  let env: NodeJS.ProcessEnv;
  let guard: RunningGuard;
  let client: Client;

  const echo = async () => {
    const result = await client.callTool({ name: 'echo', arguments: { message: 'hi' } });
    return result.isError === true ? 'denied' : 'allowed';
  };
  const managedVersion = () => guard.policy.managedStatus?.bundle?.version;
  const refusals = async () =>
    (await auditEvents(home)).filter((e) => e.kind === 'policy-refused').map((e) => (e.detail as { document: string; reason: string }).reason);
  const cli = async (...args: string[]) => {
    try {
      const { stdout, stderr } = await run(process.execPath, [cliPath, ...args], { env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const e = error as { code: number; stdout: string; stderr: string };
      return { code: e.code, stdout: e.stdout, stderr: e.stderr };
    }
  };

  beforeAll(async () => {
    nginx = await TestNginx.start(makeTestCa());
    keys = await keyPairs(3);
    root = await signedRoot(rootPayload(keys, 2, 1, at(365)), keys.slice(0, 2));
    const etc = tempDir('mcp-guard-etc-');
    writeFileSync(join(etc, 'root.jws'), root);
    nginx.write('root.jws', root);
    nginx.write('bundle.jws', await signedBundle(payload(1), keys.slice(0, 2)));
    const managedFile = writeManaged(
      {
        version: 1,
        policy: { urls: [nginx.url('bundle.jws')], rootUrl: nginx.url('root.jws'), refreshSeconds: 3600 },
        trustRoot: join(etc, 'root.jws'),
        tls: { caBundle: nginx.ca.caFile },
        whenUnavailable: 'keep-last-good',
        deviceLabels: { team: 'platform' },
      },
      0o644,
      'managed.json',
      etc,
    );
    home = guardHomeWith(ALLOW_ALL);
    env = { ...process.env, MCP_GUARD_HOME: home, MCP_GUARD_MANAGED_CONFIG: managedFile };
    delete env['MCP_GUARD_MANAGED_POLICY'];
    // The developer's own client config, with a server nobody wrapped: the fleet inventory's shadow server.
    const userHome = tempDir('mcp-guard-user-');
    writeFileSync(
      join(userHome, '.claude.json'),
      JSON.stringify({ mcpServers: { shadow: { command: 'npx', args: ['-y', '@modelcontextprotocol/server-memory'] } } }),
    );
    const clientEnv = { PATH: process.env['PATH'], HOME: userHome, XDG_CONFIG_HOME: join(userHome, '.config') };
    const machine = thisMachine(clientEnv, []);
    const identityFs = nodeIdentityFs(clientEnv);
    const fleet = {
      adapters: allAdapters(),
      machine,
      env: clientEnv,
      identity: (launch: Parameters<typeof identityOf>[0]) => identityOf(launch, { home: machine.home, env: clientEnv }, identityFs),
      guardVersion: '0.0.0-test',
    };
    guard = await startGuard({ home, env, log: { log: () => undefined }, deviceId: 'test-device', fleet });
    await until(() => managedVersion() === 1, 10_000, 'the first bundle in force');
    const transport = new StdioClientTransport({
      command: process.execPath,
      args: [cliPath, 'run', '--name', 'everything', '--', ...realServers.everything],
      env: env as Record<string, string>,
      stderr: 'ignore',
    });
    client = new Client({ name: 'claude-code', version: '2.1.0' }, { capabilities: {} });
    await client.connect(transport);
  }, 60_000);

  afterAll(async () => {
    await client?.close();
    await guard?.stop();
    await nginx?.stop();
  });

  it('fetched version 1 at start, recorded it, and the proxy decides by it', async () => {
    expect(guard.policy.managedStatus).toMatchObject({ source: 'managed-config', rootVersion: 1, bundle: { version: 1, url: nginx.url('bundle.jws') } });
    expect(guard.policy.managedStatus?.stale).toBeUndefined();
    expect(await echo()).toBe('allowed');
    const applied = (await auditEvents(home)).filter((e) => e.kind === 'policy-applied');
    expect(applied.map((e) => (e.detail as { version: number }).version)).toEqual([1]);
  });

  it('records the fleet inventory after the refresh: the labels IT set, the policy in force, and the shadow server', async () => {
    let event = (await auditEvents(home)).find((e) => e.kind === 'inventory');
    for (const deadline = Date.now() + 10_000; event === undefined && Date.now() < deadline; await new Promise((r) => setTimeout(r, 50)))
      event = (await auditEvents(home)).find((e) => e.kind === 'inventory');
    expect(event, 'an inventory event within 10 s').toBeDefined();
    const detail = FleetInventory.parse(event!.detail);
    expect(detail.device).toMatchObject({ id: 'test-device', guardVersion: '0.0.0-test', labels: { team: 'platform' } });
    expect(detail.policy).toMatchObject({ bundleVersion: 1, rulesHash: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(detail.servers).toContainEqual(expect.objectContaining({ client: 'claude-code', name: 'shadow', state: 'unwrapped', guarded: false }));
  });

  it('asks again with If-None-Match and gets a 304', async () => {
    const before = nginx.requests().length;
    expect(await guard.managed!.refresh()).toMatchObject({ outcome: 'unchanged', version: 1 });
    expect(
      nginx
        .requests()
        .slice(before)
        .filter((l) => l.endsWith('/bundle.jws')),
    ).toEqual([expect.stringMatching(/^304 \["[^"]+"\] \/bundle\.jws$/)]);
  });

  it('puts a new version in force at the proxy within a second of applying it', async () => {
    bundle2 = await signedBundle(payload(2), keys.slice(1, 3));
    nginx.write('bundle.jws', bundle2);
    expect(await guard.managed!.refresh()).toMatchObject({ outcome: 'applied', version: 2 });
    const applied = Date.now();
    let verdict = await echo();
    while (verdict === 'allowed' && Date.now() - applied < 3000) verdict = await echo();
    expect(verdict).toBe('denied');
    expect(Date.now() - applied).toBeLessThan(1000);
  });

  it('refuses a bad signature, an older version, an expired bundle and a root signed below threshold, keeping version 2, each an audit event', async () => {
    const good = JSON.parse(await signedBundle(payload(3), keys.slice(0, 2))) as { signatures: { signature: string }[] };
    const forged = {
      ...good,
      signatures: good.signatures.map((s) => ({ ...s, signature: s.signature.slice(0, -4) + (s.signature.endsWith('AAAA') ? 'BBBB' : 'AAAA') })),
    };
    const cases: Array<{ file: string; text: string; reason: string }> = [
      { file: 'bundle.jws', text: JSON.stringify(forged), reason: 'threshold-not-met' },
      { file: 'bundle.jws', text: await signedBundle({ ...payload(1), policy: ALLOW_ALL }, keys.slice(0, 2)), reason: 'rollback' },
      { file: 'bundle.jws', text: await signedBundle({ ...payload(4), issuedAt: at(-2), expiresAt: at(-1) }, keys.slice(0, 2)), reason: 'expired' },
    ];
    for (const c of cases) {
      nginx.write(c.file, c.text);
      expect(await guard.managed!.refresh(), c.reason).toMatchObject({ outcome: 'refused', document: 'bundle', reason: c.reason });
      expect(managedVersion()).toBe(2);
    }
    // Root 2 signed by one key of root 1 (threshold 2) and its own: not a rotation.
    const newKeys = await keyPairs(2);
    nginx.write('root.jws', await signedRoot(rootPayload(newKeys, 2, 2, at(365)), [keys[0]!, ...newKeys]));
    expect(await guard.managed!.refresh()).toMatchObject({ outcome: 'refused', document: 'root', reason: 'threshold-not-met' });
    expect(managedVersion()).toBe(2);
    expect(guard.policy.managedStatus?.rootVersion).toBe(1);
    expect(await echo()).toBe('denied');
    expect(await refusals()).toEqual(['threshold-not-met', 'rollback', 'expired', 'threshold-not-met']);
  });

  it('keeps version 2, flagged stale, while nginx is down, and clears the flag when it is back', async () => {
    nginx.write('root.jws', root);
    nginx.write('bundle.jws', bundle2);
    await nginx.stop();
    expect(await guard.managed!.refresh()).toMatchObject({ outcome: 'unreachable' });
    expect(managedVersion()).toBe(2);
    expect(guard.policy.managedStatus?.stale).toMatch(/unreachable|fetch/i);
    expect(await echo()).toBe('denied');
    const down = await cli('sync', 'status');
    expect(down.code).toBe(1);
    expect(down.stdout).toMatch(/version: 2/);
    expect(down.stdout).toMatch(/STALE/);
    await nginx.start();
    const now = await cli('sync', 'now', '--json');
    expect(now.code, now.stdout + now.stderr).toBe(0);
    expect(JSON.parse(now.stdout)).toMatchObject({
      result: { outcome: expect.stringMatching(/^(unchanged|applied)$/) },
      managedPolicy: { bundle: { version: 2 } },
    });
    expect(guard.policy.managedStatus?.stale).toBeUndefined();
    const up = await cli('sync', 'status', '--json');
    expect(up.code, up.stderr).toBe(0);
    expect(JSON.parse(up.stdout)).toMatchObject({
      service: { running: true },
      managedPolicy: { bundle: { version: 2 }, lastFetch: { outcome: expect.any(String) } },
    });
  });

  it('shows the managed policy in force in `mcp-guard policy show`, from the last good store', async () => {
    const shown = await cli('policy', 'show');
    expect(shown.code, shown.stderr).toBe(0);
    expect(JSON.parse(shown.stdout)).toMatchObject({ managed: { source: 'managed-config', bundle: { version: 2, url: nginx.url('bundle.jws') } } });
  });
});
