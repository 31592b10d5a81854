import { z } from 'zod';
import { ClientName, ConfigScope, ServerId } from './server-registry.js';

/**
 * The Secrets page's half of the contract (shared/ipc.ts `secrets:*`): per wrapped server, the
 * names of its secrets and whether each is set; set, replace and delete one; a credential helper
 * instead of a stored value. A value only ever goes in (`secrets:set`): no result, event or error
 * of these channels holds one, and there is no channel that reads one back.
 */

/** The longest value the page may store: far above any token or key, far below what a keychain item should hold. */
export const MAX_SECRET_VALUE_CHARS = 64 * 1024;
/** The longest secret name (the registry's and the keychain account's limit). */
export const MAX_SECRET_NAME_CHARS = 256;
/** A helper re-runs after at most 30 days (shared/server-registry.ts `ttlSeconds`). */
export const MAX_HELPER_TTL_SECONDS = 86_400 * 30;
export const MAX_HELPER_ARGS = 64;
export const MAX_HELPER_ARG_CHARS = 4096;

/** An environment variable name as every OS and shell takes it. */
export const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** An RFC 9110 token: what an HTTP header name may be. */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** A secret's name as the page sends it; whether it suits its server (env or header) is checked in main. */
export const SecretName = z
  .string()
  .min(1, { error: 'give the secret a name' })
  .max(MAX_SECRET_NAME_CHARS, { error: `a secret name is at most ${MAX_SECRET_NAME_CHARS} characters` });
export type SecretName = z.infer<typeof SecretName>;

/** A value going in: never empty (the keychain never holds an empty one), at most 64 Ki characters. */
export const SecretValue = z
  .string()
  .min(1, { error: 'the value is empty; nothing was stored' })
  .max(MAX_SECRET_VALUE_CHARS, { error: `a value is at most ${MAX_SECRET_VALUE_CHARS} characters` });

/** A credential helper's command as argv (run without a shell): `["gh", "auth", "token"]`. */
export const HelperCommand = z
  .array(z.string().min(1, { error: 'an argument of the command is empty' }).max(MAX_HELPER_ARG_CHARS))
  .min(1, { error: 'give the command to run, like gh auth token' })
  .max(MAX_HELPER_ARGS);

/** Seconds until the helper runs again; null: its value is kept for the whole run of the server's proxy. */
export const HelperTtl = z.number().int().min(1).max(MAX_HELPER_TTL_SECONDS).nullable();

/** Whether a secret's value is there to inject; never the value. */
export const SecretState = z.enum([
  /** In the keychain. */
  'set',
  /** Not in the keychain: the server does not start until it is set. */
  'not-set',
  /** From a credential helper, run at each launch. */
  'helper',
  /** The keychain could not be asked (locked, not running): see `keychainProblem`. */
  'unknown',
]);
export type SecretState = z.infer<typeof SecretState>;

export const SecretEntry = z.strictObject({
  name: z.string().max(MAX_SECRET_NAME_CHARS),
  target: z.enum(['env', 'header']),
  state: SecretState,
  /** A helper's command, arguments shaped like a credential replaced by "[secret]" (`masked` says how many). */
  helper: z
    .strictObject({
      command: z.array(z.string().max(MAX_HELPER_ARG_CHARS)).max(MAX_HELPER_ARGS),
      masked: z.number().int().nonnegative(),
      ttlSeconds: z.number().int().positive().optional(),
    })
    .optional(),
  /** The client's file held it before wrapping: unwrap needs its value in the keychain to restore the file. */
  inOriginalEntry: z.boolean(),
});
export type SecretEntry = z.infer<typeof SecretEntry>;

export const SecretsServer = z.strictObject({
  id: ServerId,
  name: z.string().max(300),
  client: ClientName,
  scope: ConfigScope,
  file: z.string().max(4096),
  /** Where its secrets go: environment variables of a stdio server, request headers of a remote one. */
  target: z.enum(['env', 'header']),
  secrets: z.array(SecretEntry).max(500),
});
export type SecretsServer = z.infer<typeof SecretsServer>;

export const SecretsList = z.strictObject({
  servers: z.array(SecretsServer).max(2000),
  /** Records of the registry that do not read (their servers are left out), each naming the file. */
  problems: z.array(z.string().max(2000)).max(200),
  /** Why the keychain could not be asked, when it could not (then keychain secrets are `unknown`). */
  keychainProblem: z.string().max(2000).optional(),
});
export type SecretsList = z.infer<typeof SecretsList>;

/** What a change did, in words for the page, or why it was refused (never with the value). */
export const SecretChangeResult = z.discriminatedUnion('ok', [
  z.strictObject({ ok: z.literal(true), message: z.string().max(2000) }),
  z.strictObject({ ok: z.literal(false), reason: z.string().max(2000) }),
]);
export type SecretChangeResult = z.infer<typeof SecretChangeResult>;
