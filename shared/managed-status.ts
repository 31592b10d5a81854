import { z } from 'zod';
import { LockedSettings, WhenUnavailable } from './managed-config.js';

/**
 * The managed policy in force, as `mcp-guard policy show`, `mcp-guard sync status`, the status
 * line and the app's banner show it, like a browser's policy page: where it comes from, which
 * signed bundle (version, issued, expiry), the last fetch and its result, and whether it is stale
 * (past its expiry, or the host unreachable) or locked down (every call denied, and why).
 */

export const LastFetch = z.strictObject({
  at: z.string(),
  outcome: z.enum(['applied', 'unchanged', 'refused', 'unreachable']),
  /** What was refused or could not be reached, and why (names the URL, never a credential). */
  message: z.string().optional(),
});
export type LastFetch = z.infer<typeof LastFetch>;

export const ManagedBundleFacts = z.strictObject({
  version: z.number(),
  issuedAt: z.string(),
  expiresAt: z.string(),
  /** Where it was fetched from. */
  url: z.string().optional(),
  /** SHA-256 (hex) of the signed payload. */
  sha256: z.string(),
});
export type ManagedBundleFacts = z.infer<typeof ManagedBundleFacts>;

export const ManagedPolicyStatus = z.strictObject({
  /**
   * `none`: no managed configuration and no managed policy file; `file`: a plain managed policy
   * file (MCP_GUARD_MANAGED_POLICY, for development and tests); `managed-config`: IT's managed
   * configuration (with or without signed policy).
   */
  source: z.enum(['none', 'file', 'managed-config']),
  /** The managed configuration or policy file read. */
  file: z.string().optional(),
  /** The managed configuration does not validate (or a user could change it): its problems; what is in force did not change. */
  configProblems: z.array(z.string()).optional(),
  /** The signed policy's URLs, from the managed configuration. */
  urls: z.array(z.string()).optional(),
  rootVersion: z.number().optional(),
  bundle: ManagedBundleFacts.optional(),
  lastFetch: LastFetch.optional(),
  /** Why the policy in force may be out of date: past its expiry, or its host unreachable at the last fetch. */
  stale: z.string().optional(),
  /** Why every call is denied (no signed policy yet, expired under lock-down, a refused configuration at start). */
  lockedDown: z.string().optional(),
  locked: LockedSettings.optional(),
  whenUnavailable: WhenUnavailable.optional(),
});
export type ManagedPolicyStatus = z.infer<typeof ManagedPolicyStatus>;
