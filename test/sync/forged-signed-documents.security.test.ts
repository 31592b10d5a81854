import { calculateJwkThumbprint, exportJWK, GeneralSign, generateKeyPair } from 'jose';
import { describe, expect, it } from 'vitest';
import { importPrivateKey } from '../../main/sync/ed25519-keys.js';
import { acceptBundle } from '../../main/sync/policy-bundle.js';
import { acceptRoot } from '../../main/sync/trust-root.js';
import { POLICY_TYP, ROOT_TYP } from '../../shared/signed-policy.js';
import { bundlePayload, keyPairs, NOW, rootInForce, rootPayload, signedBundle, signedRoot } from './signing-fixtures.js';

const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
type Jws = { payload: string; signatures: { protected: string; signature: string }[] };

describe('signed documents an attacker could forge or bend', () => {
  it('a root cannot pass as a policy bundle (typ)', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    // Even with a payload that would otherwise read as a bundle, the root typ is refused.
    const asRoot = await signedRoot(rootPayload([key!], 1), [key!]);
    expect(await acceptBundle(asRoot, root, undefined, NOW)).toMatchObject({ ok: false, reason: 'wrong-type' });
  });

  it('a policy bundle cannot pass as a root (typ)', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const bundle = await signedBundle(bundlePayload(2), [key!]);
    expect(await acceptRoot(bundle, undefined, NOW)).toMatchObject({ ok: false, reason: 'wrong-type' });
    expect(await acceptRoot(bundle, root, NOW)).toMatchObject({ ok: false, reason: 'wrong-type' });
  });

  it('refuses a bundle signed by a key not in the root', async () => {
    const [trusted, stranger] = await keyPairs(2);
    const root = await rootInForce([trusted!], 1);
    const result = await acceptBundle(await signedBundle(bundlePayload(1), [stranger!]), root, undefined, NOW);
    expect(result).toMatchObject({ ok: false, reason: 'threshold-not-met', message: expect.stringContaining('signed by 0') });
  });

  it('one key signing twice counts once', async () => {
    const keys = await keyPairs(2);
    const root = await rootInForce(keys, 2);
    const key = await importPrivateKey(keys[0]!.privateJwk);
    const signer = new GeneralSign(bytes(bundlePayload(1)));
    for (let i = 0; i < 2; i++) signer.addSignature(key).setProtectedHeader({ alg: 'EdDSA', typ: POLICY_TYP, kid: keys[0]!.kid });
    const text = JSON.stringify(await signer.sign());
    expect(await acceptBundle(text, root, undefined, NOW)).toMatchObject({
      ok: false,
      reason: 'threshold-not-met',
      message: expect.stringContaining('signed by 1'),
    });
  });

  it('refuses an alg other than EdDSA (ES256), even under a trusted kid', async () => {
    const [trusted] = await keyPairs(1);
    const root = await rootInForce([trusted!], 1);
    const es = await generateKeyPair('ES256');
    for (const kid of [trusted!.kid, await calculateJwkThumbprint(await exportJWK(es.publicKey))]) {
      const signer = new GeneralSign(bytes(bundlePayload(1)));
      signer.addSignature(es.privateKey).setProtectedHeader({ alg: 'ES256', typ: POLICY_TYP, kid });
      const result = await acceptBundle(JSON.stringify(await signer.sign()), root, undefined, NOW);
      expect(result).toMatchObject({ ok: false, reason: 'disallowed-header', message: expect.stringContaining('"ES256" refused') });
    }
  });

  it('refuses alg none, an embedded jwk, jku, x5u and crit, and any unprotected header', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const good = JSON.parse(await signedBundle(bundlePayload(1), [key!])) as Jws;
    const withHeader = (header: object): string =>
      JSON.stringify({ ...good, signatures: [{ ...good.signatures[0]!, protected: Buffer.from(JSON.stringify(header)).toString('base64url') }] });
    const base = { alg: 'EdDSA', typ: POLICY_TYP, kid: key!.kid };
    expect(await acceptBundle(withHeader({ ...base, alg: 'none' }), root, undefined, NOW)).toMatchObject({ reason: 'disallowed-header' });
    for (const extra of [
      { jwk: key!.publicJwk },
      { jku: 'https://evil.example/keys' },
      { x5u: 'https://evil.example/cert' },
      { crit: ['exp'], exp: 1 },
      { b64: false, crit: ['b64'] },
    ]) {
      const result = await acceptBundle(withHeader({ ...base, ...extra }), root, undefined, NOW);
      expect(result).toMatchObject({ ok: false, reason: 'disallowed-header', message: expect.stringContaining(Object.keys(extra)[0]!) });
    }
    const unprotected = JSON.stringify({ ...good, signatures: [{ ...good.signatures[0]!, header: { kid: key!.kid } }] });
    expect(await acceptBundle(unprotected, root, undefined, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('refuses a tampered payload without reading it', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const good = JSON.parse(await signedBundle(bundlePayload(1), [key!])) as Jws;
    // An allow-all policy, and one that would not even validate: neither is read, the signature fails first.
    for (const policy of [{ version: 1, defaults: { tools: 'allow' } }, { nonsense: true }]) {
      const tampered = JSON.stringify({ ...good, payload: Buffer.from(JSON.stringify(bundlePayload(1, policy))).toString('base64url') });
      expect(await acceptBundle(tampered, root, undefined, NOW)).toMatchObject({ ok: false, reason: 'threshold-not-met' });
    }
  });

  it('refuses a document where one signature carries the other kind of typ', async () => {
    const keys = await keyPairs(2);
    const root = await rootInForce(keys, 1);
    const signer = new GeneralSign(bytes(bundlePayload(1)));
    signer.addSignature(await importPrivateKey(keys[0]!.privateJwk)).setProtectedHeader({ alg: 'EdDSA', typ: POLICY_TYP, kid: keys[0]!.kid });
    signer.addSignature(await importPrivateKey(keys[1]!.privateJwk)).setProtectedHeader({ alg: 'EdDSA', typ: ROOT_TYP, kid: keys[1]!.kid });
    expect(await acceptBundle(JSON.stringify(await signer.sign()), root, undefined, NOW)).toMatchObject({ ok: false, reason: 'wrong-type' });
  });

  it('refuses a root that lists one key twice to meet its threshold alone', async () => {
    const [key] = await keyPairs(1);
    const text = await signedRoot({ ...rootPayload([key!], 2), keys: [key!.publicJwk, key!.publicJwk] }, [key!]);
    expect(await acceptRoot(text, undefined, NOW)).toMatchObject({ ok: false, reason: 'invalid-payload', message: expect.stringContaining('listed twice') });
  });

  it('refuses a root whose keys hold a private part', async () => {
    const [key] = await keyPairs(1);
    const { signGeneral } = await import('../../main/sync/jws.js');
    const text = await signGeneral(bytes({ ...rootPayload([key!], 1), keys: [key!.privateJwk] }), ROOT_TYP, [key!.privateJwk]);
    expect(await acceptRoot(text, undefined, NOW)).toMatchObject({ ok: false, reason: 'invalid-payload', message: expect.stringContaining('keys.0') });
  });
});
