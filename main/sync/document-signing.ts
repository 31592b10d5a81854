import { BundlePayload, POLICY_TYP, ROOT_TYP, RootPayload, type Ed25519PrivateJwk } from '../../shared/signed-policy.js';
import { signGeneral } from './jws.js';

/** IT's side: a root or a bundle payload, checked against its schema, serialized once and signed by every key given. */
export function signRoot(payload: RootPayload, keys: readonly Ed25519PrivateJwk[]): Promise<string> {
  return signGeneral(payloadBytes(RootPayload.parse(payload)), ROOT_TYP, keys);
}

export function signBundle(payload: BundlePayload, keys: readonly Ed25519PrivateJwk[]): Promise<string> {
  return signGeneral(payloadBytes(BundlePayload.parse(payload)), POLICY_TYP, keys);
}

function payloadBytes(payload: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(payload));
}
