import { calculateJwkThumbprint, exportJWK, generateKeyPair, importJWK, type CryptoKey } from 'jose';
import { Ed25519PrivateJwk, type Ed25519PublicJwk } from '../../shared/signed-policy.js';

/** The one signature algorithm of signed policy: EdDSA over Ed25519 (RFC 8037). */
export const SIGNATURE_ALG = 'EdDSA';

export type KeyPair = { kid: string; privateJwk: Ed25519PrivateJwk; publicJwk: Ed25519PublicJwk };

/** The public half of a key as a JWK with exactly `kty`, `crv`, `x`. */
export function publicPart(jwk: Ed25519PublicJwk): Ed25519PublicJwk {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x };
}

/** The key id of a key: its RFC 7638 SHA-256 thumbprint (of the public members only). */
export function keyIdOf(jwk: Ed25519PublicJwk): Promise<string> {
  return calculateJwkThumbprint(publicPart(jwk), 'sha256');
}

/** A new Ed25519 key pair from the platform's generator (WebCrypto through jose). */
export async function generateEd25519KeyPair(): Promise<KeyPair> {
  const { privateKey } = await generateKeyPair('Ed25519', { extractable: true });
  const privateJwk = Ed25519PrivateJwk.parse(stripToKey(await exportJWK(privateKey)));
  const publicJwk = publicPart(privateJwk);
  return { kid: await keyIdOf(publicJwk), privateJwk, publicJwk };
}

export async function importPublicKey(jwk: Ed25519PublicJwk): Promise<CryptoKey> {
  return importJWK(publicPart(jwk), SIGNATURE_ALG);
}

export async function importPrivateKey(jwk: Ed25519PrivateJwk): Promise<CryptoKey> {
  return importJWK({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d }, SIGNATURE_ALG);
}

function stripToKey(jwk: { kty?: string; crv?: string; x?: string; d?: string }): unknown {
  return { kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d };
}
