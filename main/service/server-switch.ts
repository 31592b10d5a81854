/**
 * Disable and enable a server from the UI, persistently and failing closed: disabling writes a
 * server rule that denies it into the user policy (so every proxy denies its calls, with the app
 * running or not) and ends its running processes; enabling removes only that rule. A deny from
 * managed policy, or from a rule the user wrote, stays: this says so instead of pretending.
 */
import type { PolicyDocument } from '../../shared/policy.js';
import type { ServerIdentity } from '../../shared/server-registry.js';
import type { SetEnabledResult } from '../../shared/servers-page.js';
import { SecretScrubber } from '../audit/redaction.js';
import { formatFileProblem, type FileProblem } from '../store/atomic-file.js';
import { disabledBy, disabledRuleId } from './server-row-parts.js';

/** The user policy as the switch edits it: main/store/policy-store.ts `PolicyStore`. */
export interface UserPolicyPort {
  readonly user: PolicyDocument | undefined;
  readonly managed: PolicyDocument | undefined;
  readonly problems: FileProblem[];
  readonly files: { user: string; managed: string };
  saveUserSync(doc: PolicyDocument): FileProblem[];
}

/** What ends or readmits a server's running processes: main/service/guard-service.ts `GuardService`. */
export interface ServerProcessesPort {
  disableServer(server: string, reason?: string): void;
  enableServer(server: string): void;
}

export class ServerSwitch {
  private readonly scrubber = new SecretScrubber();

  constructor(
    private readonly policy: UserPolicyPort,
    private readonly processes: ServerProcessesPort,
  ) {}

  /** `identity`: what the server runs, when known, so a managed rule on its package or command is found too. */
  setEnabled(name: string, enabled: boolean, identity?: ServerIdentity): SetEnabledResult {
    const broken = this.policy.problems.filter((p) => p.file === this.policy.files.user);
    if (broken.length > 0)
      return refused(
        `your policy file ${this.policy.files.user} does not validate (${broken.map(formatFileProblem).join('; ')}); fix it first (mcp-guard policy check), then try again`,
      );
    return enabled ? this.enable(name, identity) : this.disable(name);
  }

  private disable(name: string): SetEnabledResult {
    if (name.includes('*'))
      return refused(`"${name}" has a "*" in its name, which a server rule reads as a wildcard; disable it with a rule on the Policy page`);
    const id = disabledRuleId(name);
    const reason = `server "${name}" was disabled on the Servers page of MCP Guard`;
    const doc: PolicyDocument = this.policy.user ?? { version: 1 };
    if (!(doc.servers ?? []).some((r) => r.id === id)) {
      const problems = this.policy.saveUserSync({ ...doc, servers: [...(doc.servers ?? []), { id, match: { name }, action: 'deny', reason }] });
      if (problems.length > 0)
        return refused(`the policy with the rule would not validate (${problems.map(formatFileProblem).join('; ')}); nothing was changed`);
    }
    this.processes.disableServer(name, reason);
    return { ok: true };
  }

  private enable(name: string, identity: ServerIdentity | undefined): SetEnabledResult {
    const id = disabledRuleId(name);
    const doc = this.policy.user;
    const managed = disabledBy({ managed: this.policy.managed, user: undefined }, name, identity, this.scrubber);
    if (managed) return refused(`managed policy rule "${managed.rule}" disables "${name}"; it cannot be enabled here (your IT department sets managed policy)`);
    if (doc?.servers?.some((r) => r.id === id)) {
      const servers = doc.servers.filter((r) => r.id !== id);
      const { servers: _drop, ...rest } = doc;
      const problems = this.policy.saveUserSync(servers.length > 0 ? { ...rest, servers } : rest);
      if (problems.length > 0)
        return refused(`the policy without the rule would not validate (${problems.map(formatFileProblem).join('; ')}); nothing was changed`);
    }
    this.processes.enableServer(name);
    const other = disabledBy({ managed: undefined, user: this.policy.user }, name, identity, this.scrubber);
    if (other) return refused(`your policy rule "${other.rule}" still denies "${name}"; change it on the Policy page`);
    return { ok: true };
  }
}

function refused(reason: string): SetEnabledResult {
  return { ok: false, reason: reason.slice(0, 8000) };
}
