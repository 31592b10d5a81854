import { createHash } from 'node:crypto';
import type { PolicyDocument } from '../../shared/policy.js';
import { BundlePayload, POLICY_TYP, type Refusal } from '../../shared/signed-policy.js';
import { validatePolicy } from '../policy/parse-policy.js';
import { refuse, verifyGeneral } from './jws.js';
import { rootExpired, type TrustRoot } from './trust-root.js';

/**
 * The policy bundle (issue 17): verified against the root in force (a threshold of its keys), its
 * policy validated as `mcp-guard policy check` does, then held against the bundle in force:
 * a lower version, or the same version with other content, is a rollback; an expired bundle is
 * a freeze. Nothing here reads a file or a clock: (document, root, bundle in force, now) → verdict.
 */

/** What the guard keeps of the bundle in force to judge the next one. */
export type BundleInForce = { version: number; sha256: string };

export type AcceptedBundle = {
  ok: true;
  version: number;
  issuedAt: string;
  expiresAt: string;
  policy: PolicyDocument;
  /** SHA-256 (hex) of the signed payload bytes. */
  sha256: string;
  /** The root's keys that signed it (RFC 7638 thumbprints). */
  signers: string[];
  /** The same bundle as in force (same version, same bytes): nothing to apply. */
  unchanged: boolean;
};

export async function acceptBundle(text: string, root: TrustRoot, inForce: BundleInForce | undefined, now: Date): Promise<AcceptedBundle | Refusal> {
  if (rootExpired(root, now)) {
    return refuse('root-expired', `the root in force (version ${root.version}) expired at ${root.expiresAt}; no bundle is accepted until a new root is`);
  }
  const verified = await verifyGeneral(text, POLICY_TYP, root.keys);
  if (!verified.ok) return verified;
  if (verified.signers.length < root.threshold || !verified.payload) {
    return refuse('threshold-not-met', `signed by ${verified.signers.length} of root ${root.version}'s keys, ${root.threshold} needed`);
  }
  const bytes = verified.payload;
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return refuse('invalid-payload', 'the signed bundle is not UTF-8 JSON');
  }
  const parsed = BundlePayload.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse('invalid-payload', `bundle ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const bundle = parsed.data;
  const policy = validatePolicy(bundle.policy);
  if (!policy.ok) {
    return refuse('invalid-policy', policy.problems.map((p) => `policy.${p.path}: ${p.message}`).join('; '));
  }
  if (Date.parse(bundle.expiresAt) <= Date.parse(bundle.issuedAt)) {
    return refuse('invalid-payload', `bundle expiresAt ${bundle.expiresAt} is not after issuedAt ${bundle.issuedAt}`);
  }
  if (Date.parse(bundle.expiresAt) <= now.getTime()) {
    return refuse('expired', `bundle version ${bundle.version} expired at ${bundle.expiresAt}; the signer must issue a new one`);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let unchanged = false;
  if (inForce) {
    if (bundle.version < inForce.version) {
      return refuse('rollback', `bundle version ${bundle.version} is older than version ${inForce.version} in force`);
    }
    if (bundle.version === inForce.version) {
      if (sha256 !== inForce.sha256)
        return refuse('rollback', `bundle version ${bundle.version} has other content than the version ${inForce.version} in force`);
      unchanged = true;
    }
  }
  return {
    ok: true,
    version: bundle.version,
    issuedAt: bundle.issuedAt,
    expiresAt: bundle.expiresAt,
    policy: policy.policy,
    sha256,
    signers: verified.signers,
    unchanged,
  };
}
