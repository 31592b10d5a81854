import { X509Certificate, createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LastGoodPolicyStore } from '../../main/store/last-good-policy.js';
import { PolicyFetcher, type PolicyFetcherOptions } from '../../main/sync/policy-fetch.js';
import { PolicySync } from '../../main/sync/policy-sync.js';
import { makeTestCa, TestNginx, type TestCa } from '../helpers/nginx.js';
import { tempDir } from '../helpers/proxy.js';
import { bundlePayload, keyPairs, NOW, rootPayload, signedBundle, signedRoot } from './signing-fixtures.js';

// Threat: a host that is not IT's (another CA's certificate, or not the pinned one) serves a
// policy, or the policy URL is bent elsewhere (a redirect, plain http). Real nginx over TLS.
describe('a policy server the managed config does not trust', () => {
  let nginx: TestNginx;
  let otherCa: TestCa;
  let trustRootFile: string;

  const syncWith = (fetcher: PolicyFetcherOptions, url = nginx.url('bundle.jws')) =>
    new PolicySync({
      trustRootFile,
      bundleUrls: [url],
      fetcher: new PolicyFetcher({ timeoutMs: 3000, ...fetcher }),
      store: new LastGoodPolicyStore(tempDir('mcp-guard-home-')),
      now: () => NOW,
    });
  const leafSha256 = (pem: string) => new X509Certificate(pem).fingerprint256.replaceAll(':', '').toLowerCase();

  beforeAll(async () => {
    nginx = await TestNginx.start(makeTestCa());
    otherCa = makeTestCa('other-ca');
    const keys = await keyPairs(1);
    trustRootFile = join(tempDir(), 'root.jws');
    writeFileSync(trustRootFile, await signedRoot(rootPayload(keys, 1), keys));
    nginx.write('bundle.jws', await signedBundle(bundlePayload(1), keys));
  });
  afterAll(async () => nginx?.stop());

  it('applies the bundle from the trusted CA, with the right pin (certificate or SPKI)', async () => {
    const spki = new X509Certificate(nginx.ca.certPem).publicKey.export({ type: 'spki', format: 'der' });
    const spkiSha = createHash('sha256').update(spki).digest('hex');
    expect(await syncWith({ ca: nginx.ca.caPem }).refresh()).toMatchObject({ outcome: 'applied', version: 1 });
    expect(await syncWith({ ca: nginx.ca.caPem, pinnedSha256: [leafSha256(nginx.ca.certPem)] }).refresh()).toMatchObject({ outcome: 'applied' });
    expect(await syncWith({ ca: nginx.ca.caPem, pinnedSha256: [spkiSha.toUpperCase()] }).refresh()).toMatchObject({ outcome: 'applied' });
  });

  it('refuses a server whose certificate is not from the configured CA (nor from the system CAs)', async () => {
    for (const options of [{ ca: otherCa.caPem }, {}]) {
      const sync = syncWith(options);
      expect(await sync.refresh()).toMatchObject({ outcome: 'refused', document: 'bundle', reason: 'untrusted-certificate' });
      expect(sync.bundleInForce).toBeUndefined();
    }
  });

  it('refuses a server from the right CA whose certificate matches no pin', async () => {
    const sync = syncWith({ ca: nginx.ca.caPem, pinnedSha256: [randomBytes(32).toString('hex'), leafSha256(otherCa.certPem)] });
    expect(await sync.refresh()).toMatchObject({
      outcome: 'refused',
      reason: 'pin-mismatch',
      message: expect.stringContaining(`SHA-256 ${leafSha256(nginx.ca.certPem)}) matches none of tls.pinnedSha256`),
    });
    expect(sync.bundleInForce).toBeUndefined();
  });

  it('does not follow a redirect, fetch over http, or trust a CA bundle it could not read', async () => {
    expect(await syncWith({ ca: nginx.ca.caPem }, nginx.url('moved')).refresh()).toMatchObject({ outcome: 'refused', reason: 'redirect' });
    expect(await syncWith({ ca: nginx.ca.caPem }, `http://127.0.0.1:${nginx.port}/bundle.jws`).refresh()).toMatchObject({
      outcome: 'refused',
      reason: 'not-https',
    });
    expect(await syncWith({ configProblem: 'tls.caBundle /nowhere does not exist' }).refresh()).toMatchObject({ outcome: 'refused', reason: 'tls-config' });
  });

  it('refuses a body over the size cap', async () => {
    expect(await syncWith({ ca: nginx.ca.caPem, maxBytes: 100 }).refresh()).toMatchObject({ outcome: 'refused', reason: 'too-large' });
  });
});
