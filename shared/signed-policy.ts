import { z } from 'zod';

/**
 * Signed central policy (issue 17, "Signed policy bundles"): the two documents IT signs, their
 * keys, and why one is refused. Both documents travel as JWS in the General JSON serialization
 * (RFC 7515 §7.2.1), alg EdDSA over Ed25519 only; the protected `typ` names the document's kind so
 * a root cannot pass as a policy bundle or the reverse. See docs/signed-policy.md.
 */

/** The protected `typ` of each kind of document. */
export const ROOT_TYP = 'mcp-guard-root+jws';
export const POLICY_TYP = 'mcp-guard-policy+jws';
export const DocumentTyp = z.enum([ROOT_TYP, POLICY_TYP]);
export type DocumentTyp = z.infer<typeof DocumentTyp>;

const Base64Url = (what: string) => z.string().regex(/^[A-Za-z0-9_-]+$/, { error: `expected ${what} in base64url (RFC 4648 §5, no padding)` });

/** An Ed25519 public key as a JWK (RFC 8037): `kty`, `crv` and `x`, nothing else (no `d`: a root never holds a private key). */
export const Ed25519PublicJwk = z.strictObject({
  kty: z.literal('OKP', { error: 'expected "OKP" (an Ed25519 key)' }),
  crv: z.literal('Ed25519', { error: 'expected "Ed25519"' }),
  x: Base64Url('the 32-byte public key').length(43, { error: 'expected 43 base64url characters (32 bytes)' }),
});
export type Ed25519PublicJwk = z.infer<typeof Ed25519PublicJwk>;

/** An Ed25519 private key as a JWK: the public part and `d`. */
export const Ed25519PrivateJwk = Ed25519PublicJwk.extend({
  d: Base64Url('the 32-byte private key').length(43, { error: 'expected 43 base64url characters (32 bytes)' }),
});
export type Ed25519PrivateJwk = z.infer<typeof Ed25519PrivateJwk>;

/** A key id: the RFC 7638 SHA-256 JWK thumbprint of the public key, base64url. */
export const KeyId = Base64Url('a JWK thumbprint').length(43, { error: 'expected an RFC 7638 SHA-256 thumbprint (43 base64url characters)' });

/** A point in time, ISO 8601 in UTC: `2026-01-31T12:00:00Z`. */
const Instant = z.iso.datetime({ error: 'expected an ISO 8601 UTC time like "2026-01-31T12:00:00Z"' });

/** Versions are positive safe integers (a bundle's defaults to the Unix time in seconds it was signed). */
const Version = z.number().int().min(1).max(Number.MAX_SAFE_INTEGER);

/** The root: which keys may sign policy, how many of them must, and the root's own version and expiry. */
export const RootPayload = z.strictObject({
  version: Version,
  expiresAt: Instant,
  threshold: z.number().int().min(1).max(64),
  keys: z.array(Ed25519PublicJwk).min(1).max(64),
});
export type RootPayload = z.infer<typeof RootPayload>;

/**
 * The policy bundle. `policy` is checked here only as a value; it is validated as a policy file
 * is (main/policy/parse-policy.ts `validatePolicy`) after the signatures are.
 */
export const BundlePayload = z.strictObject({
  version: Version,
  issuedAt: Instant,
  expiresAt: Instant,
  policy: z.unknown(),
});
export type BundlePayload = z.infer<typeof BundlePayload>;

/** The protected header each signature carries: exactly these three members (no `jwk`, `jku`, `x5u`, `crit`, `b64`). */
export const ProtectedHeader = z.strictObject({
  alg: z.literal('EdDSA'),
  typ: z.string(),
  kid: KeyId,
});
export type ProtectedHeader = z.infer<typeof ProtectedHeader>;

/** The General JSON serialization as accepted: no unprotected `header` (every member a verifier reads is signed). */
export const GeneralJwsDocument = z.strictObject({
  payload: Base64Url('the payload'),
  signatures: z
    .array(z.strictObject({ protected: Base64Url('the protected header'), signature: Base64Url('the signature') }))
    .min(1)
    .max(64),
});
export type GeneralJwsDocument = z.infer<typeof GeneralJwsDocument>;

/**
 * Why a document was refused; the fetcher turns each into an audit event. `malformed`: not a
 * General JWS; `disallowed-header`: a header member or alg this guard never accepts; `wrong-type`:
 * the `typ` of the other kind of document; `threshold-not-met`: too few distinct trusted keys
 * signed; `invalid-payload` / `invalid-policy`: the signed bytes do not validate; `expired`: the
 * bundle's or new root's expiry has passed (freeze); `root-expired`: the root in force has expired;
 * `rollback`: a lower version than in force, or the same with different content; `version-skip`: a
 * root that is not the one after the root in force.
 */
export const RefusalReason = z.enum([
  'malformed',
  'disallowed-header',
  'wrong-type',
  'threshold-not-met',
  'invalid-payload',
  'invalid-policy',
  'expired',
  'root-expired',
  'rollback',
  'version-skip',
]);
export type RefusalReason = z.infer<typeof RefusalReason>;

export type Refusal = { ok: false; reason: RefusalReason; message: string };
