import type { PolicyDocument } from '../../shared/policy.js';
import type { BundlePayload, RootPayload } from '../../shared/signed-policy.js';
import { signBundle, signRoot } from '../../main/sync/document-signing.js';
import { generateEd25519KeyPair, type KeyPair } from '../../main/sync/ed25519-keys.js';
import { acceptRoot, type TrustRoot } from '../../main/sync/trust-root.js';

/** Real Ed25519 keys and documents signed with them, for the sync tests. */
export const NOW = new Date('2026-03-01T12:00:00Z');
export const LATER = (days: number) => new Date(NOW.getTime() + days * 86_400_000).toISOString();

export const POLICY: PolicyDocument = { version: 1, rules: [{ id: 'no-shell', tool: 'mcp__shell__*', action: 'deny' }] };

export function keyPairs(n: number): Promise<KeyPair[]> {
  return Promise.all(Array.from({ length: n }, () => generateEd25519KeyPair()));
}

export function rootPayload(keys: KeyPair[], threshold: number, version = 1, expiresAt = LATER(365)): RootPayload {
  return { version, expiresAt, threshold, keys: keys.map((k) => k.publicJwk) };
}

export function bundlePayload(version: number, policy: unknown = POLICY, expiresAt = LATER(30)): BundlePayload {
  return { version, issuedAt: NOW.toISOString(), expiresAt, policy };
}

export function signedRoot(payload: RootPayload, signers: KeyPair[]): Promise<string> {
  return signRoot(
    payload,
    signers.map((k) => k.privateJwk),
  );
}

export function signedBundle(payload: BundlePayload, signers: KeyPair[]): Promise<string> {
  return signBundle(
    payload,
    signers.map((k) => k.privateJwk),
  );
}

/** A root in force: made and accepted as a guard would accept its first root. */
export async function rootInForce(keys: KeyPair[], threshold: number, version = 1): Promise<TrustRoot> {
  const accepted = await acceptRoot(await signedRoot(rootPayload(keys, threshold, version), keys.slice(0, threshold)), undefined, NOW);
  if (!accepted.ok) throw new Error(`fixture root refused: ${accepted.message}`);
  return accepted.root;
}
