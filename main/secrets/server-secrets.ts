/**
 * A wrapped server's secrets as the Secrets page changes them, with the semantics of
 * `mcp-guard secrets` (main/cli/secrets-command.ts): `set` stores the value in the keychain and
 * lists the name in the server's record (source: keychain); a helper replaces a stored value (the
 * keychain item is removed); `delete` removes both. Used from the next launch. Every answer is
 * words for the page: names, never a value. Nothing here trusts the caller: the server must be
 * wrapped, the name must suit its target, the value is bounded.
 */
import type { SecretChangeResult, SecretEntry, SecretsList, SecretsServer } from '../../shared/secrets-page.js';
import { MAX_HELPER_ARG_CHARS, MAX_HELPER_ARGS, MAX_SECRET_VALUE_CHARS } from '../../shared/secrets-page.js';
import type { ServerRecord, ServerSecret } from '../../shared/server-registry.js';
import { formatFileProblem } from '../store/atomic-file.js';
import type { ServerRegistry } from '../store/server-registry.js';
import { maskedHelperCommand } from './helper-view.js';
import { KeychainError, KeychainUnavailableError, type KeychainSecretStore } from './keychain.js';
import { sameSecretName, secretNameProblem, type SecretTarget } from './secret-name.js';

export type SecretsKeychain = Pick<KeychainSecretStore, 'hasSync' | 'setSync' | 'deleteSync'>;
type Helper = { command: readonly string[]; ttlSeconds: number | null };

export class ServerSecrets {
  constructor(
    private readonly registry: ServerRegistry,
    private readonly keychain: SecretsKeychain,
  ) {}

  /** Every wrapped server and its secrets' state. A keychain that cannot be asked is asked once, then reported. */
  listSync(): SecretsList {
    const { records, problems } = this.registry.listSync();
    let keychainProblem: string | undefined;
    const stateOf = (record: ServerRecord, s: ServerSecret): SecretEntry['state'] => {
      if (s.source.kind === 'helper') return 'helper';
      if (keychainProblem !== undefined) return 'unknown';
      try {
        return this.keychain.hasSync(record.id, s.name) ? 'set' : 'not-set';
      } catch (error) {
        if (!(error instanceof KeychainUnavailableError || error instanceof KeychainError)) throw error;
        keychainProblem = error.message;
        return 'unknown';
      }
    };
    const servers = records
      .map((record): SecretsServer => ({
        id: record.id,
        name: record.name.slice(0, 300),
        client: record.client,
        scope: record.scope,
        file: record.file.slice(0, 4096),
        target: targetOf(record),
        secrets: record.secrets.map((s) => ({
          name: s.name,
          target: s.target,
          state: stateOf(record, s),
          ...(s.source.kind === 'helper' ? { helper: helperView(s.source) } : {}),
          inOriginalEntry: record.original.some((part) => typeof part !== 'string' && part.secret === s.name),
        })),
      }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id.localeCompare(b.id));
    return { servers, problems: problems.map(formatFileProblem), ...(keychainProblem !== undefined ? { keychainProblem } : {}) };
  }

  /** Stores (or replaces) the value in the keychain; the record then names it with the keychain as its source. */
  setSync(serverId: string, name: string, value: string): SecretChangeResult {
    if (value.length === 0) return refused('the value is empty; nothing was stored');
    if (value.length > MAX_SECRET_VALUE_CHARS) return refused(`the value is longer than ${MAX_SECRET_VALUE_CHARS} characters; nothing was stored`);
    return this.change(serverId, name, value, (record, target, existing) => {
      const replaced = existing?.source.kind === 'keychain' && this.keychain.hasSync(record.id, existing.name);
      this.keychain.setSync(record.id, existing?.name ?? name, value);
      const secret: ServerSecret = { name: existing?.name ?? name, target, source: { kind: 'keychain' } };
      this.registry.writeSync(withSecret(record, secret));
      return `${record.id}: ${secret.name} ${replaced ? 'replaced' : 'set'} in the keychain; it is used from the next launch`;
    });
  }

  /** The value comes from a helper from now on; a stored value of that name is removed from the keychain. */
  setHelperSync(serverId: string, name: string, helper: Helper): SecretChangeResult {
    if (helper.command.length === 0 || helper.command[0] === '') return refused('give the command to run, like gh auth token');
    if (helper.ttlSeconds !== null && (!Number.isInteger(helper.ttlSeconds) || helper.ttlSeconds < 1 || helper.ttlSeconds > 86_400 * 30))
      return refused('the time to re-run the helper is whole seconds from 1 to 2592000 (30 days), or none');
    return this.change(serverId, name, undefined, (record, target, existing) => {
      const kept = existing?.source.kind === 'helper' && existing.source.timeoutMs !== undefined ? { timeoutMs: existing.source.timeoutMs } : {};
      const secret: ServerSecret = {
        name: existing?.name ?? name,
        target,
        source: { kind: 'helper', command: [...helper.command], ...kept, ...(helper.ttlSeconds !== null ? { ttlSeconds: helper.ttlSeconds } : {}) },
      };
      this.keychain.deleteSync(record.id, secret.name);
      this.registry.writeSync(withSecret(record, secret));
      const ttl = helper.ttlSeconds !== null ? `, run again after ${helper.ttlSeconds} s` : '';
      return `${record.id}: ${secret.name} set from a helper (${JSON.stringify(helper.command[0])}${ttl}); it is used from the next launch`;
    });
  }

  /** Removes the secret from the keychain and from the record. */
  deleteSync(serverId: string, name: string): SecretChangeResult {
    return this.change(serverId, name, undefined, (record, _target, existing) => {
      if (!existing) throw new Refusal(`${record.id} has no secret ${JSON.stringify(name)}; nothing was removed`);
      this.keychain.deleteSync(record.id, existing.name);
      this.registry.writeSync({ ...record, secrets: record.secrets.filter((s) => s !== existing) });
      return `${record.id}: ${existing.name} removed`;
    });
  }

  /** Finds the record, checks the name for its target, runs `apply`; every failure becomes a reason, the value cut out of it. */
  private change(
    serverId: string,
    name: string,
    value: string | undefined,
    apply: (record: ServerRecord, target: SecretTarget, existing: ServerSecret | undefined) => string,
  ): SecretChangeResult {
    try {
      const read = this.registry.readSync(serverId);
      if (read.state === 'missing') return refused(`no wrapped server has the id ${serverId} (it may have been unwrapped); reload the page`);
      if (read.state === 'bad') return refused(`the record of ${serverId} does not read: ${read.problems.map(formatFileProblem).join('; ')}`);
      const record = read.record;
      const target = targetOf(record);
      const problem = secretNameProblem(target, name);
      if (problem) return refused(`${record.id}: ${problem}; nothing was changed`);
      const existing = record.secrets.find((s) => sameSecretName(target, s.name, name));
      if (existing && existing.name !== name)
        return refused(`${record.id} already has the header ${existing.name} (header names ignore case); change that one instead`);
      if (!existing && target === 'header' && record.launch.transport !== 'stdio') {
        const plain = Object.keys(record.launch.headers).find((h) => h.toLowerCase() === name.toLowerCase());
        if (plain) return refused(`${record.id} already sends the header ${plain} as plain text in its launch; a secret of the same name would send it twice`);
      }
      return { ok: true, message: apply(record, target, existing) };
    } catch (error) {
      if (error instanceof Refusal) return refused(error.message);
      return refused(scrubbed(error instanceof Error ? error.message : String(error), value));
    }
  }
}

class Refusal extends Error {}

function refused(reason: string): SecretChangeResult {
  return { ok: false, reason: reason.length > 2000 ? `${reason.slice(0, 1999)}…` : reason };
}

function targetOf(record: ServerRecord): SecretTarget {
  return record.launch.transport === 'stdio' ? 'env' : 'header';
}

/** The record with `secret` in place of the one of its name (kept where it was), or added at the end. */
function withSecret(record: ServerRecord, secret: ServerSecret): ServerRecord {
  const at = record.secrets.findIndex((s) => s.name === secret.name);
  const secrets = at < 0 ? [...record.secrets, secret] : record.secrets.map((s, i) => (i === at ? secret : s));
  return { ...record, secrets };
}

function helperView(source: { command: string[]; ttlSeconds?: number | undefined }): NonNullable<SecretEntry['helper']> {
  const shown = maskedHelperCommand(source.command);
  // Bounded as the contract is; a command longer than that (written by hand) is shown cut, with an ellipsis.
  const command = shown.command.slice(0, MAX_HELPER_ARGS).map((a) => (a.length > MAX_HELPER_ARG_CHARS ? `${a.slice(0, MAX_HELPER_ARG_CHARS - 1)}…` : a));
  return { command, masked: shown.masked, ...(source.ttlSeconds !== undefined ? { ttlSeconds: source.ttlSeconds } : {}) };
}

/** The keychain store already keeps the value out of its messages; an error from anywhere else gets the same treatment. */
function scrubbed(message: string, value: string | undefined): string {
  let out = message.replace(/^mcp-guard: /, '');
  if (value === undefined) return out;
  for (const piece of [value, ...value.split(/\r?\n/)]) if (piece.length >= 4) out = out.split(piece).join('[value]');
  return out;
}
