import { existsSync, unwatchFile, watchFile } from 'node:fs';
import { managedPolicyPathSync, osManagedPolicyPath } from '../store/managed-policy-path.js';
import { PolicyStore } from '../store/policy-store.js';
import type { ManagedConfigRead } from './managed-config.js';
import type { ManagedLayer } from './managed-layer.js';
import type { ManagedPolicyLoader, ManagedPolicyLoaderOptions } from './managed-policy-loader.js';

/**
 * Opens the policy store with the right managed layer, for the proxy and the CLI (the service
 * drives its own through ./managed-sync.ts):
 * - a managed configuration (OS location, or MCP_GUARD_MANAGED_CONFIG unless locked): the layer
 *   main/sync decides from it and the stored signed bundle (./managed-layer.ts), loaded again when
 *   any of its files changes or the service says so;
 * - none: the plain managed policy file (MCP_GUARD_MANAGED_POLICY, for development and tests;
 *   see main/store/managed-policy-path.ts), as before.
 * The managed configuration's reader and the signed policy's verifier (zod, jose) are loaded only
 * when a managed configuration file exists: a proxy on an unmanaged device runs without them.
 */
export class ManagedPolicyStore {
  private layer: ManagedLayer | undefined;
  private read: ManagedConfigRead | undefined;

  private constructor(
    readonly policy: PolicyStore,
    private readonly loader: ManagedPolicyLoader | undefined,
    first: { read: ManagedConfigRead; layer: ManagedLayer | undefined } | undefined,
  ) {
    this.read = first?.read;
    if (first) this.apply(first.layer);
  }

  static async open(o: ManagedPolicyLoaderOptions & { userPolicy: string }): Promise<ManagedPolicyStore> {
    const plain = () => {
      const policy = new PolicyStore({ userPolicy: o.userPolicy, managedPolicy: managedPolicyPathSync(o.env) });
      policy.reloadSync();
      return policy;
    };
    const candidates = [o.reader?.osLocation ?? osManagedPolicyPath(o.reader?.adminOnly?.platform, o.env), o.env['MCP_GUARD_MANAGED_CONFIG']];
    if (!candidates.some((file) => file !== undefined && file !== '' && existsSync(file))) return new ManagedPolicyStore(plain(), undefined, undefined);
    const { ManagedPolicyLoader } = await import('./managed-policy-loader.js');
    const loader = new ManagedPolicyLoader(o);
    const read = loader.readConfigSync();
    if (read.state === 'absent') return new ManagedPolicyStore(plain(), undefined, undefined);
    const policy = new PolicyStore({ userPolicy: o.userPolicy, managedPolicy: read.source.file, managedExternal: true });
    policy.reloadSync();
    return new ManagedPolicyStore(policy, loader, await loader.load());
  }

  /** Loads the user file and (from a managed configuration) the managed layer again. */
  async reload(): Promise<void> {
    this.policy.reloadSync();
    if (!this.loader) return;
    const next = await this.loader.load(this.layer);
    this.read = next.read;
    this.apply(next.layer);
  }

  /** Calls back when the policy in force changed: the user file (PolicyStore's own watch) or a managed file. */
  watch(onChange: () => void): () => void {
    const stopPolicy = this.policy.watch(onChange);
    if (!this.loader || !this.read) return stopPolicy;
    const files = this.loader.files(this.read);
    const listener = () => void this.reload().catch(() => undefined);
    for (const file of files) watchFile(file, { interval: 400, persistent: false }, listener);
    return () => {
      stopPolicy();
      files.forEach((file) => unwatchFile(file, listener));
    };
  }

  private apply(layer: ManagedLayer | undefined): void {
    this.layer = layer;
    if (!this.loader) return;
    this.policy.setManaged(layer ?? { doc: undefined, problems: [], status: { source: 'none' } });
  }
}
