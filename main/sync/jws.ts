import { decodeProtectedHeader, GeneralSign, generalVerify, type CryptoKey } from 'jose';
import {
  GeneralJwsDocument,
  ProtectedHeader,
  type DocumentTyp,
  type Ed25519PrivateJwk,
  type Ed25519PublicJwk,
  type Refusal,
} from '../../shared/signed-policy.js';
import { importPrivateKey, importPublicKey, keyIdOf, SIGNATURE_ALG } from './ed25519-keys.js';

/**
 * Signed documents in the JWS General JSON serialization (RFC 7515 §7.2.1) through `jose`: the
 * signing, and the checks every signature must pass before any of its bytes is believed. A
 * verifier learns which trusted keys signed; how many must is the caller's rule (./trust-root.ts,
 * ./policy-bundle.ts).
 */

/** The most a signed document may be: a policy file's cap (4 MiB) in base64url, with room for signatures. */
export const MAX_DOCUMENT_BYTES = 6 * 1024 * 1024;

/** Signs `payload` once per key, each signature's protected header `{ alg: EdDSA, typ, kid }`. */
export async function signGeneral(payload: Uint8Array, typ: DocumentTyp, keys: readonly Ed25519PrivateJwk[]): Promise<string> {
  if (keys.length === 0) throw new Error('signing needs at least one private key');
  const signer = new GeneralSign(payload);
  const seen = new Set<string>();
  for (const jwk of keys) {
    const kid = await keyIdOf(jwk);
    if (seen.has(kid)) throw new Error(`key ${kid} is given twice; each key signs once (and counts once)`);
    seen.add(kid);
    signer.addSignature(await importPrivateKey(jwk)).setProtectedHeader({ alg: SIGNATURE_ALG, typ, kid });
  }
  return JSON.stringify(await signer.sign()) + '\n';
}

/** What the signatures prove: the payload (only from a signature that verified) and the distinct trusted keys that signed it. */
export type VerifiedSignatures = { ok: true; payload: Uint8Array | undefined; signers: string[] };

/**
 * Checks a document's structure and every signature's protected header (alg EdDSA, the expected
 * `typ`, a `kid`, and nothing else), then verifies each signature whose `kid` is in `trusted` with
 * that key. A key that signs twice is counted once. Signatures by keys not in `trusted` are not
 * counted (a rotated root carries the new keys' signatures too). `payload` is set only when at least
 * one signature verified.
 */
export async function verifyGeneral(text: string, typ: DocumentTyp, trusted: ReadonlyMap<string, Ed25519PublicJwk>): Promise<VerifiedSignatures | Refusal> {
  if (Buffer.byteLength(text, 'utf8') > MAX_DOCUMENT_BYTES) {
    return refuse('malformed', `over ${MAX_DOCUMENT_BYTES / 1024 / 1024} MiB; a signed policy document is never that large`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return refuse('malformed', 'not JSON; expected a JWS in the General JSON serialization ({ "payload", "signatures": [...] })');
  }
  const parsed = GeneralJwsDocument.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse('malformed', `not a General JWS this guard accepts: ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  const jws = parsed.data;
  const headers: ProtectedHeader[] = [];
  for (const [i, signature] of jws.signatures.entries()) {
    const header = headerProblem(signature.protected, typ, i);
    if ('ok' in header) return header;
    headers.push(header);
  }
  const signers: string[] = [];
  let payload: Uint8Array | undefined;
  const keys = new Map<string, CryptoKey>();
  for (const [i, header] of headers.entries()) {
    const jwk = trusted.get(header.kid);
    if (!jwk || signers.includes(header.kid)) continue;
    let key = keys.get(header.kid);
    if (!key) keys.set(header.kid, (key = await importPublicKey(jwk)));
    try {
      const result = await generalVerify({ payload: jws.payload, signatures: [jws.signatures[i]!] }, key, { algorithms: [SIGNATURE_ALG] });
      signers.push(header.kid);
      payload ??= result.payload;
    } catch {
      // A signature that does not verify is not counted; the threshold decides.
    }
  }
  return { ok: true, payload, signers };
}

function headerProblem(encoded: string, typ: DocumentTyp, index: number): ProtectedHeader | Refusal {
  let raw: unknown;
  try {
    raw = decodeProtectedHeader({ protected: encoded, payload: '', signature: '' });
  } catch {
    return refuse('malformed', `signatures[${index}].protected: not a base64url JSON object`);
  }
  const header = raw as Record<string, unknown>;
  if (header['alg'] !== SIGNATURE_ALG) {
    return refuse('disallowed-header', `signatures[${index}]: alg ${JSON.stringify(header['alg'])} refused; only EdDSA (Ed25519) is accepted`);
  }
  const extra = Object.keys(header).filter((k) => k !== 'alg' && k !== 'typ' && k !== 'kid');
  if (extra.length > 0) {
    return refuse(
      'disallowed-header',
      `signatures[${index}]: header member(s) ${extra.join(', ')} refused; a signature's protected header holds only alg, typ and kid`,
    );
  }
  if (header['typ'] !== typ) {
    return refuse('wrong-type', `signatures[${index}]: typ ${JSON.stringify(header['typ'])}, expected "${typ}"; this is not that kind of document`);
  }
  const checked = ProtectedHeader.safeParse(header);
  if (!checked.success) return refuse('malformed', `signatures[${index}].protected: kid: expected the RFC 7638 thumbprint of the signing key`);
  return checked.data;
}

export function refuse(reason: Refusal['reason'], message: string): Refusal {
  return { ok: false, reason, message };
}
