import { describe, expect, it } from 'vitest';
import { acceptBundle } from '../../main/sync/policy-bundle.js';
import { acceptRoot } from '../../main/sync/trust-root.js';
import { bundlePayload, keyPairs, LATER, NOW, rootInForce, rootPayload, signedBundle, signedRoot } from './signing-fixtures.js';

describe('root rotation', () => {
  it('accepts root N+1 signed by a threshold of the old keys and of its own; bundles then verify against the new keys only', async () => {
    const old = await keyPairs(3);
    const fresh = await keyPairs(3);
    const root1 = await rootInForce(old, 2);
    const text = await signedRoot(rootPayload(fresh, 2, 2), [old[0]!, old[1]!, fresh[1]!, fresh[2]!]);
    const result = await acceptRoot(text, root1, NOW);
    expect(result).toMatchObject({ ok: true, unchanged: false, root: { version: 2, threshold: 2 } });
    if (!result.ok) return;
    expect(result.signers).toHaveLength(4);
    expect(await acceptBundle(await signedBundle(bundlePayload(1), [fresh[0]!, fresh[2]!]), result.root, undefined, NOW)).toMatchObject({ ok: true });
    expect(await acceptBundle(await signedBundle(bundlePayload(1), [old[0]!, old[1]!]), result.root, undefined, NOW)).toMatchObject({
      ok: false,
      reason: 'threshold-not-met',
    });
  });

  it('a key in both roots counts toward both thresholds, once each', async () => {
    const [a, b, c] = await keyPairs(3);
    const root1 = await rootInForce([a!, b!], 1);
    const text = await signedRoot(rootPayload([b!, c!], 1, 2), [b!]);
    expect(await acceptRoot(text, root1, NOW)).toMatchObject({ ok: true, root: { version: 2 } });
  });

  it('refuses root N+1 signed only by its new keys', async () => {
    const old = await keyPairs(2);
    const fresh = await keyPairs(2);
    const root1 = await rootInForce(old, 2);
    const text = await signedRoot(rootPayload(fresh, 2, 2), fresh);
    expect(await acceptRoot(text, root1, NOW)).toMatchObject({
      ok: false,
      reason: 'threshold-not-met',
      message: expect.stringContaining("0 of root 1's keys"),
    });
  });

  it('refuses root N+1 signed only by the old keys (or below its own threshold)', async () => {
    const old = await keyPairs(2);
    const fresh = await keyPairs(2);
    const root1 = await rootInForce(old, 2);
    expect(await acceptRoot(await signedRoot(rootPayload(fresh, 2, 2), old), root1, NOW)).toMatchObject({
      ok: false,
      reason: 'threshold-not-met',
      message: expect.stringContaining('new root is signed by 0 of its own keys'),
    });
    expect(await acceptRoot(await signedRoot(rootPayload(fresh, 2, 2), [...old, fresh[0]!]), root1, NOW)).toMatchObject({
      ok: false,
      reason: 'threshold-not-met',
    });
  });

  it('refuses a version skip, and an older or rewritten same version (rollback); the same root again is unchanged', async () => {
    const keys = await keyPairs(1);
    const root2 = await rootInForce(keys, 1, 2);
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 1, 4), keys), root2, NOW)).toMatchObject({ ok: false, reason: 'version-skip' });
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 1, 1), keys), root2, NOW)).toMatchObject({ ok: false, reason: 'rollback' });
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 1, 2, LATER(10)), keys), root2, NOW)).toMatchObject({ ok: false, reason: 'rollback' });
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 1, 2), keys), root2, NOW)).toMatchObject({ ok: true, unchanged: true });
  });

  it('refuses a new root that has already expired; an expired root in force can still be rotated', async () => {
    const keys = await keyPairs(1);
    const root1 = await rootInForce(keys, 1);
    const afterRoot1 = new Date(Date.parse(root1.expiresAt) + 1000);
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 1, 2, LATER(1)), keys), root1, afterRoot1)).toMatchObject({ ok: false, reason: 'expired' });
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 1, 2, LATER(900)), keys), root1, afterRoot1)).toMatchObject({ ok: true, root: { version: 2 } });
  });

  it('a first root must meet its own threshold', async () => {
    const keys = await keyPairs(3);
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 2), [keys[0]!]), undefined, NOW)).toMatchObject({ ok: false, reason: 'threshold-not-met' });
    expect(await acceptRoot(await signedRoot(rootPayload(keys, 4), keys), undefined, NOW)).toMatchObject({ ok: false, reason: 'invalid-payload' });
  });
});
