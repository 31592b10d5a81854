import { X509Certificate, createHash } from 'node:crypto';
import { checkServerIdentity, type DetailedPeerCertificate, type PeerCertificate } from 'node:tls';

/**
 * How the guard decides to trust an endpoint of the managed configuration (the policy host, a
 * collector): the CAs of `tls.caBundle` instead of the system's when given, the host name, and,
 * when `tls.pinnedSha256` is given, a certificate of the presented chain whose SHA-256, or whose
 * SubjectPublicKeyInfo's SHA-256, is one of the pins. Used by the policy fetch and every sink.
 */

export type EndpointTrust = {
  /** PEM text of the CAs to trust instead of the system's. */
  ca?: string;
  /** SHA-256 (hex) of an acceptable certificate or of its SPKI; the chain must present one. */
  pinnedSha256?: readonly string[];
};

/**
 * A `checkServerIdentity` for node:tls / node:https: the host name check, then the pins. A pin
 * problem is also handed to `onPinProblem`, so the caller can name it (Node reports it as a
 * generic connection error).
 */
export function identityAndPinCheck(
  pinnedSha256: readonly string[] | undefined,
  onPinProblem: (problem: string) => void = () => undefined,
): (host: string, cert: PeerCertificate) => Error | undefined {
  const pins = pinnedSha256 ? new Set(pinnedSha256.map((p) => p.toLowerCase())) : undefined;
  return (host, cert) => {
    const identity = checkServerIdentity(host, cert);
    if (identity) return identity;
    const problem = pins ? pinProblem(cert, pins) : undefined;
    if (!problem) return undefined;
    onPinProblem(problem);
    return new Error(problem);
  };
}

/** Undefined when some certificate of the presented chain matches a pin (its DER or its SPKI). */
export function pinProblem(leaf: PeerCertificate, pins: ReadonlySet<string>): string | undefined {
  const seen = new Set<string>();
  // Node hands checkServerIdentity the detailed certificate: the chain as presented, through issuerCertificate.
  for (let cert = leaf as DetailedPeerCertificate | undefined; cert?.raw && !seen.has(cert.fingerprint256); cert = cert.issuerCertificate) {
    seen.add(cert.fingerprint256);
    const spki = new X509Certificate(cert.raw).publicKey.export({ type: 'spki', format: 'der' });
    if (pins.has(sha256(cert.raw)) || pins.has(sha256(spki))) return undefined;
  }
  return `the server's certificate (SHA-256 ${sha256(leaf.raw)}) matches none of tls.pinnedSha256 in the managed configuration`;
}

const CERTIFICATE_ERRORS = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|UNABLE_TO_GET_ISSUER|ERR_TLS_CERT_ALTNAME_INVALID|HOSTNAME/;

/** Whether a connection error says the certificate was not trusted (rather than the host being away). */
export function isCertificateError(error: NodeJS.ErrnoException): boolean {
  return CERTIFICATE_ERRORS.test(error.code ?? '');
}

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}
