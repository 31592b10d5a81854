import { describe, expect, it } from 'vitest';
import { acceptBundle } from '../../main/sync/policy-bundle.js';
import { bundlePayload, keyPairs, LATER, NOW, POLICY, rootInForce, signedBundle } from './signing-fixtures.js';

describe('acceptBundle', () => {
  it('round trip: a bundle signed by a threshold of the root keys is accepted, its policy and signers returned', async () => {
    const keys = await keyPairs(3);
    const root = await rootInForce(keys, 2);
    const result = await acceptBundle(await signedBundle(bundlePayload(7), [keys[0]!, keys[2]!]), root, undefined, NOW);
    expect(result).toMatchObject({ ok: true, version: 7, policy: POLICY, unchanged: false, expiresAt: LATER(30) });
    if (!result.ok) return;
    expect(result.signers.sort()).toEqual([keys[0]!.kid, keys[2]!.kid].sort());
    expect(result.sha256).toMatch(/^[0-9a-f]{64}$/);
  });

  it('refuses a bundle below the threshold', async () => {
    const keys = await keyPairs(3);
    const root = await rootInForce(keys, 2);
    const result = await acceptBundle(await signedBundle(bundlePayload(1), [keys[1]!]), root, undefined, NOW);
    expect(result).toMatchObject({ ok: false, reason: 'threshold-not-met', message: expect.stringContaining('1 of root 1') });
  });

  it('refuses a bundle whose policy does not validate as `policy check` would', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const bad = { version: 1, rules: [{ id: 'a', tool: 'not-a-pattern', action: 'deny' }] };
    const result = await acceptBundle(await signedBundle(bundlePayload(1, bad), [key!]), root, undefined, NOW);
    expect(result).toMatchObject({ ok: false, reason: 'invalid-policy', message: expect.stringContaining('policy.rules[0].tool') });
  });

  it('rollback: refuses a version lower than the one in force', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const newer = await acceptBundle(await signedBundle(bundlePayload(10), [key!]), root, undefined, NOW);
    if (!newer.ok) throw new Error(newer.message);
    const older = await acceptBundle(await signedBundle(bundlePayload(9), [key!]), root, newer, NOW);
    expect(older).toMatchObject({ ok: false, reason: 'rollback', message: expect.stringContaining('older than version 10') });
  });

  it('rollback: refuses the same version with other content, accepts it again unchanged', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const text = await signedBundle(bundlePayload(10), [key!]);
    const inForce = await acceptBundle(text, root, undefined, NOW);
    if (!inForce.ok) throw new Error(inForce.message);
    expect(await acceptBundle(text, root, inForce, NOW)).toMatchObject({ ok: true, unchanged: true });
    const other = await signedBundle(bundlePayload(10, { version: 1, defaults: { tools: 'allow' } }), [key!]);
    expect(await acceptBundle(other, root, inForce, NOW)).toMatchObject({ ok: false, reason: 'rollback', message: expect.stringContaining('other content') });
    expect(await acceptBundle(await signedBundle(bundlePayload(11), [key!]), root, inForce, NOW)).toMatchObject({ ok: true, version: 11, unchanged: false });
  });

  it('freeze: refuses an expired bundle', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const text = await signedBundle(bundlePayload(3, POLICY, LATER(1)), [key!]);
    expect(await acceptBundle(text, root, undefined, NOW)).toMatchObject({ ok: true });
    const dayAfter = new Date(Date.parse(LATER(1)) + 1000);
    expect(await acceptBundle(text, root, undefined, dayAfter)).toMatchObject({ ok: false, reason: 'expired' });
  });

  it('refuses any bundle while the root in force has expired', async () => {
    const [key] = await keyPairs(1);
    const root = await rootInForce([key!], 1);
    const text = await signedBundle(bundlePayload(3, POLICY, LATER(900)), [key!]);
    const afterRoot = new Date(Date.parse(root.expiresAt) + 1000);
    expect(await acceptBundle(text, root, undefined, afterRoot)).toMatchObject({ ok: false, reason: 'root-expired' });
  });
});
