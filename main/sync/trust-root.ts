import { createHash } from 'node:crypto';
import { ROOT_TYP, RootPayload, type Ed25519PublicJwk, type Refusal } from '../../shared/signed-policy.js';
import { keyIdOf, publicPart } from './ed25519-keys.js';
import { refuse, verifyGeneral } from './jws.js';

/**
 * The trust root (issue 17): the keys that may sign policy and how many must. The first root comes
 * through MDM or the installer and must be signed by a threshold of its own keys; root N+1 is
 * accepted only when signed by a threshold of root N's keys and a threshold of its own, each key
 * counted once, and its version is exactly N+1. An expired root N does not block the rotation
 * (that is how an expired root is recovered); an expired new root is refused.
 */
export type TrustRoot = {
  version: number;
  expiresAt: string;
  threshold: number;
  /** kid (RFC 7638 thumbprint) → public key. */
  keys: ReadonlyMap<string, Ed25519PublicJwk>;
  /** SHA-256 (hex) of the signed payload bytes: the same version with other content is a rollback. */
  sha256: string;
};

export type AcceptedRoot = { ok: true; root: TrustRoot; signers: string[]; unchanged: boolean };

/** A root from its payload: keys by thumbprint; a key listed twice, or a threshold above the keys, is refused. */
export async function trustRootFrom(payload: RootPayload, sha256: string): Promise<{ ok: true; root: TrustRoot } | Refusal> {
  const keys = new Map<string, Ed25519PublicJwk>();
  for (const [i, jwk] of payload.keys.entries()) {
    const kid = await keyIdOf(jwk);
    if (keys.has(kid)) return refuse('invalid-payload', `keys[${i}]: key ${kid} is listed twice; each key counts once toward the threshold`);
    keys.set(kid, publicPart(jwk));
  }
  if (payload.threshold > keys.size) {
    return refuse('invalid-payload', `threshold ${payload.threshold} is more than the ${keys.size} keys listed; no set of signatures could meet it`);
  }
  return { ok: true, root: { version: payload.version, expiresAt: payload.expiresAt, threshold: payload.threshold, keys, sha256 } };
}

export type RootOptions = { /** For IT tooling reading an old root to rotate it: its own expiry is not held against it. */ ignoreExpiry?: boolean };

/**
 * Accepts a root document: `inForce` undefined for the first root (self-signed by a threshold of
 * its own keys), else the rotation rule above. The same root as in force again is `unchanged`.
 */
export async function acceptRoot(text: string, inForce: TrustRoot | undefined, now: Date, options: RootOptions = {}): Promise<AcceptedRoot | Refusal> {
  let fromPrevious: string[] = [];
  let candidate: TrustRoot;
  if (inForce) {
    const byPrevious = await verifyGeneral(text, ROOT_TYP, inForce.keys);
    if (!byPrevious.ok) return byPrevious;
    if (byPrevious.signers.length < inForce.threshold || !byPrevious.payload) {
      return refuse('threshold-not-met', `signed by ${byPrevious.signers.length} of root ${inForce.version}'s keys, ${inForce.threshold} needed to rotate it`);
    }
    fromPrevious = byPrevious.signers;
    const parsed = await parseRoot(byPrevious.payload);
    if (!parsed.ok) return parsed;
    const next = parsed.root;
    if (next.version === inForce.version && next.sha256 === inForce.sha256) return { ok: true, root: inForce, signers: fromPrevious, unchanged: true };
    if (next.version <= inForce.version) {
      return refuse(
        'rollback',
        `root version ${next.version} is ${next.version < inForce.version ? 'older than' : 'the same as, with other content than,'} root ${inForce.version} in force`,
      );
    }
    if (next.version !== inForce.version + 1) {
      return refuse(
        'version-skip',
        `root version ${next.version} does not follow root ${inForce.version} in force; rotate through version ${inForce.version + 1} first`,
      );
    }
    candidate = next;
  } else {
    const claimed = await claimedRoot(text);
    if (!claimed.ok) return claimed;
    candidate = claimed.root;
  }
  const byOwn = await selfSigned(text, candidate, inForce ? 'the new root' : 'the root');
  if (!byOwn.ok) return byOwn;
  if (!options.ignoreExpiry && Date.parse(byOwn.root.expiresAt) <= now.getTime()) {
    return refuse('expired', `root ${byOwn.root.version} expired at ${byOwn.root.expiresAt}; sign a new one`);
  }
  const signers = [...new Set([...fromPrevious, ...byOwn.signers])];
  return { ok: true, root: byOwn.root, signers, unchanged: false };
}

/** Whether a root is past its expiry: an expired root in force signs no new bundles. */
export function rootExpired(root: TrustRoot, now: Date): boolean {
  return Date.parse(root.expiresAt) <= now.getTime();
}

/** Verifies `text` against the keys `candidate` (read from that same payload) lists, to its threshold; the result is parsed from the verified bytes. */
async function selfSigned(text: string, candidate: TrustRoot, what: string): Promise<{ ok: true; root: TrustRoot; signers: string[] } | Refusal> {
  const verified = await verifyGeneral(text, ROOT_TYP, candidate.keys);
  if (!verified.ok) return verified;
  if (verified.signers.length < candidate.threshold || !verified.payload) {
    return refuse('threshold-not-met', `${what} is signed by ${verified.signers.length} of its own keys, ${candidate.threshold} needed`);
  }
  const parsed = await parseRoot(verified.payload);
  if (!parsed.ok) return parsed;
  return { ok: true, root: parsed.root, signers: verified.signers };
}

/**
 * A first root's claimed keys, read before any signature is checked (they are known only from its
 * payload): used only to pick the keys to verify with, never believed until a threshold of them has
 * signed those very bytes; `selfSigned` then parses the verified bytes again.
 */
async function claimedRoot(text: string): Promise<{ ok: true; root: TrustRoot } | Refusal> {
  const structure = await verifyGeneral(text, ROOT_TYP, new Map());
  if (!structure.ok) return structure;
  const payload = (JSON.parse(text) as { payload: string }).payload;
  return parseRoot(Buffer.from(payload, 'base64url'));
}

async function parseRoot(bytes: Uint8Array): Promise<{ ok: true; root: TrustRoot } | Refusal> {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    return refuse('invalid-payload', 'the signed root is not UTF-8 JSON');
  }
  const parsed = RootPayload.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return refuse('invalid-payload', `root ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? 'invalid'}`);
  }
  return trustRootFrom(parsed.data, createHash('sha256').update(bytes).digest('hex'));
}
