/** What a remote server's OAuth sign-in needs to know (./oauth-gate.ts decides when, ./oauth-session.ts runs it). */

export type OAuthOptions = {
  /** The server's name, and its origin and path, as messages name it. */
  server: string;
  where: string;
  /** The server's URL without credentials, query or fragment. */
  serverUrl: URL;
  /** Whose keychain items hold the tokens: the record's server id, or `keychainIdOfUrl`. */
  keychainId: string;
  log: (message: string) => void;
  env: NodeJS.ProcessEnv;
  /** How long a sign-in may take in the browser. */
  timeoutMs?: number;
};
