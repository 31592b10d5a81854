import type { PolicyDefaults } from './policy.js';

/**
 * The values the engine uses when no layer sets a default. Kept apart from the zod schemas so the
 * proxy, which decides with the engine but does not validate files itself, does not load zod.
 */
export const BUILTIN_DEFAULTS = {
  tools: 'ask',
  newServers: 'ask',
  promptTimeoutSeconds: 60,
  allowAlways: true,
  /** No limit on grants unless a layer sets one. */
  maxGrant: undefined,
  newTools: 'ask',
  requireWrapping: false,
} as const satisfies Record<keyof PolicyDefaults, unknown>;
