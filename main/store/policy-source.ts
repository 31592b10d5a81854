import type { ManagedPolicyStatus } from '../../shared/managed-status.js';
import type { PolicyEngine } from '../policy/policy-engine.js';

/** The effective policy as one value: the engine, the versions in force, what was wrong with the files. */
export type PolicySnapshot = {
  engine: PolicyEngine;
  /** Revisions: the first 12 hex digits of the SHA-256 of each layer's canonical JSON in force (a layer without a file has none). */
  versions: { userVersion?: number; managedVersion?: number; userRevision?: string; managedRevision?: string };
  /** Problems with the files on disk, each naming file, JSON path and what is wrong; the last good policy stays in force. */
  problems: string[];
  /** The managed layer's source, signed bundle, last fetch, stale and lock-down (issue 17); absent for a plain managed file. */
  managed?: ManagedPolicyStatus;
};

export interface PolicySource {
  current(): PolicySnapshot;
  /** Calls back when the effective policy changed; returns the function that stops watching. */
  watch(onChange: () => void): () => void;
}
