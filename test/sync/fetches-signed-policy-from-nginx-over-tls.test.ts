import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LastGoodPolicyStore } from '../../main/store/last-good-policy.js';
import { loadCaBundleSync, PolicyFetcher } from '../../main/sync/policy-fetch.js';
import { PolicySync } from '../../main/sync/policy-sync.js';
import type { KeyPair } from '../../main/sync/ed25519-keys.js';
import { makeTestCa, TestNginx } from '../helpers/nginx.js';
import { tempDir } from '../helpers/proxy.js';
import { bundlePayload, keyPairs, LATER, NOW, POLICY, rootPayload, signedBundle, signedRoot } from './signing-fixtures.js';

// A real nginx over TLS (a test CA made with openssl) on 127.0.0.1 serving the root and the bundle.
describe('fetching the signed root and policy bundle from nginx over TLS', () => {
  let nginx: TestNginx;
  let keys: KeyPair[];
  let rootV1: string;
  let trustRootFile: string;
  let home: string;
  let sync: PolicySync;

  const bundle = async (version: number) => signedBundle(bundlePayload(version), keys.slice(0, 2));
  const makeSync = (bundleUrl = nginx.url('bundle.jws')) => {
    const ca = loadCaBundleSync(nginx.ca.caFile);
    if (!ca.ok) throw new Error(ca.message);
    return new PolicySync({
      trustRootFile,
      rootUrl: nginx.url('root.jws'),
      bundleUrls: [bundleUrl],
      fetcher: new PolicyFetcher({ ca: ca.pem, timeoutMs: 3000 }),
      store: new LastGoodPolicyStore(home),
      now: () => NOW,
    });
  };
  const bundleRequests = () => nginx.requests().filter((line) => line.endsWith(' /bundle.jws'));

  beforeAll(async () => {
    nginx = await TestNginx.start(makeTestCa());
    keys = await keyPairs(3);
    rootV1 = await signedRoot(rootPayload(keys, 2), keys.slice(0, 2));
    trustRootFile = join(tempDir(), 'root.jws');
    writeFileSync(trustRootFile, rootV1);
    nginx.write('root.jws', rootV1);
    home = tempDir('mcp-guard-home-');
    sync = makeSync();
    expect(await sync.start()).toEqual({ rootVersion: 1, bundleVersion: undefined, problems: [] });
  });
  afterAll(async () => nginx?.stop());

  it('applies the first bundle and keeps it, 0600, in the guard home', async () => {
    nginx.write('bundle.jws', await bundle(1));
    expect(await sync.refresh()).toEqual({ outcome: 'applied', version: 1, rootVersion: 1 });
    expect(sync.bundleInForce?.policy).toEqual(POLICY);
    const store = new LastGoodPolicyStore(home);
    expect(statSync(store.file).mode & 0o777).toBe(0o600);
    expect(store.readSync()).toMatchObject({ state: 'ok', value: { bundle: { url: nginx.url('bundle.jws'), etag: expect.any(String) } } });
  });

  it('asks again with If-None-Match, gets a 304 and reports unchanged', async () => {
    const before = bundleRequests().length;
    expect(await sync.refresh()).toEqual({ outcome: 'unchanged', version: 1, rootVersion: 1 });
    const asked = bundleRequests().slice(before);
    expect(asked).toEqual([`304 [${sync.bundleInForce?.stored.etag}] /bundle.jws`]);
  });

  it('applies a new version put on the server at the next refresh', async () => {
    nginx.write('bundle.jws', await bundle(2));
    expect(await sync.refresh()).toEqual({ outcome: 'applied', version: 2, rootVersion: 1 });
    expect(bundleRequests().at(-1)).toMatch(/^200 \["[^"]+"\] \/bundle\.jws$/);
  });

  it('refuses a bad signature, an older version and an expired bundle, each with its reason, keeping version 2', async () => {
    const good = JSON.parse(await bundle(3)) as { payload: string; signatures: { protected: string; signature: string }[] };
    const forged = {
      ...good,
      signatures: good.signatures.map((s) => ({ ...s, signature: s.signature.slice(0, -4) + (s.signature.endsWith('AAAA') ? 'BBBB' : 'AAAA') })),
    };
    const expired = await signedBundle({ version: 4, issuedAt: LATER(-10), expiresAt: LATER(-1), policy: POLICY }, keys.slice(0, 2));
    const cases = [
      { text: JSON.stringify(forged), reason: 'threshold-not-met' },
      { text: await bundle(1), reason: 'rollback' },
      { text: expired, reason: 'expired' },
    ];
    for (const { text, reason } of cases) {
      nginx.write('bundle.jws', text);
      expect(await sync.refresh()).toMatchObject({ outcome: 'refused', document: 'bundle', reason, message: expect.stringContaining('/bundle.jws') });
      expect(sync.bundleInForce?.version).toBe(2);
    }
    expect(storedBundleVersion()).toBe(2);
  });

  it('refuses a new root signed below the old root’s threshold, keeping root 1 and bundle 2', async () => {
    const fresh = await keyPairs(2);
    nginx.write('root.jws', await signedRoot(rootPayload(fresh, 2, 2), [keys[0]!, ...fresh]));
    nginx.write('bundle.jws', await signedBundle(bundlePayload(5), fresh));
    expect(await sync.refresh()).toMatchObject({
      outcome: 'refused',
      document: 'root',
      reason: 'threshold-not-met',
      message: expect.stringContaining("1 of root 1's keys"),
    });
    expect(sync.rootInForce?.version).toBe(1);
    expect(sync.bundleInForce?.version).toBe(2);
    nginx.write('root.jws', rootV1);
  });

  it('reports unreachable while nginx is stopped, keeping bundle 2, and applies again once it is back', async () => {
    nginx.write('bundle.jws', await bundle(6));
    await nginx.stop();
    expect(await sync.refresh()).toMatchObject({
      outcome: 'unreachable',
      document: 'root',
      reason: 'unreachable',
      message: expect.stringContaining('ECONNREFUSED'),
    });
    expect(sync.bundleInForce?.version).toBe(2);
    await nginx.start();
    expect(await sync.refresh()).toEqual({ outcome: 'applied', version: 6, rootVersion: 1 });
  });

  it('starts offline from the stored last good copy, verified again', async () => {
    await nginx.stop();
    const offline = makeSync();
    expect(await offline.start()).toEqual({ rootVersion: 1, bundleVersion: 6, problems: [] });
    expect(offline.bundleInForce?.policy).toEqual(POLICY);
    expect(await offline.refresh()).toMatchObject({ outcome: 'unreachable' });
    expect(offline.bundleInForce?.version).toBe(6);
    await nginx.start();
  });

  /** The version of the bundle in the last good store, read from its signed payload. */
  function storedBundleVersion(): unknown {
    const stored = new LastGoodPolicyStore(home).readSync();
    if (stored.state !== 'ok' || !stored.value.bundle) return undefined;
    const doc = JSON.parse(stored.value.bundle.text) as { payload: string };
    return (JSON.parse(Buffer.from(doc.payload, 'base64url').toString()) as { version: unknown }).version;
  }

  it('reports a corrupt or edited stored copy and does not trust it', async () => {
    const store = new LastGoodPolicyStore(home);
    const good = readFileSync(store.file, 'utf8');
    const edited = JSON.parse(good) as { bundle: { text: string } };
    const doc = JSON.parse(edited.bundle.text) as { payload: string };
    const payload = JSON.parse(Buffer.from(doc.payload, 'base64url').toString()) as { policy: unknown };
    payload.policy = { version: 1, defaults: { tools: 'allow' } };
    edited.bundle.text = JSON.stringify({ ...doc, payload: Buffer.from(JSON.stringify(payload)).toString('base64url') });
    writeFileSync(store.file, JSON.stringify(edited));
    const afterEdit = await makeSync().start();
    expect(afterEdit).toMatchObject({ rootVersion: 1, bundleVersion: undefined, problems: [expect.stringMatching(/bundle: .*threshold-not-met/)] });
    writeFileSync(store.file, '{"format": 1, "roots": [');
    expect(await makeSync().start()).toMatchObject({ bundleVersion: undefined, problems: [expect.stringContaining('ignored: ')] });
    writeFileSync(store.file, good);
  });
});
