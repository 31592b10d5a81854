import { z } from 'zod';

/**
 * A grant lets an `ask` pass without asking (issue 3). Times are milliseconds since the epoch.
 * Grants are written only by the service after a user gesture in the app; the engine only reads them.
 */
export const GrantScope = z.discriminatedUnion('kind', [
  /** This tool, any arguments. */
  z.strictObject({ kind: z.literal('tool-any-args') }),
  /** This tool with exactly these arguments: SHA-256 of their canonical JSON. */
  z.strictObject({ kind: z.literal('tool-exact-args'), argsHash: z.string().regex(/^[0-9a-f]{64}$/) }),
  /** Every tool of the server. */
  z.strictObject({ kind: z.literal('server') }),
]);
export type GrantScope = z.infer<typeof GrantScope>;

export const GrantClient = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('session'), sessionId: z.string().min(1) }),
  z.strictObject({ kind: z.literal('any') }),
]);
export type GrantClient = z.infer<typeof GrantClient>;

export const GrantLifetime = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('once') }),
  z.strictObject({ kind: z.literal('session') }),
  z.strictObject({ kind: z.literal('minutes'), minutes: z.number().int().positive() }),
  z.strictObject({ kind: z.literal('always') }),
]);
export type GrantLifetime = z.infer<typeof GrantLifetime>;

export const Grant = z
  .strictObject({
    id: z.string().min(1),
    scope: GrantScope,
    client: GrantClient,
    server: z.string().min(1),
    /** The tool's own name (not `mcp__…`); absent for a server-scope grant. */
    tool: z.string().min(1).optional(),
    createdAt: z.number().int().nonnegative(),
    /** null only for `always` and `session` lifetimes. */
    expiresAt: z.number().int().nonnegative().nullable(),
    lifetime: GrantLifetime,
    /** The layer whose `ask` the user answered. */
    source: z.enum(['managed', 'user', 'default']),
  })
  .refine((g) => (g.scope.kind === 'server') === (g.tool === undefined), {
    error: 'a server-scope grant has no "tool"; every other scope needs one',
    path: ['tool'],
  })
  .refine((g) => g.expiresAt !== null || g.lifetime.kind === 'always' || g.lifetime.kind === 'session', {
    error: 'only "always" and "session" grants may have expiresAt null',
    path: ['expiresAt'],
  })
  .refine((g) => g.lifetime.kind !== 'session' || g.client.kind === 'session', {
    error: 'a session grant must name the client session',
    path: ['client'],
  })
  // The same three rules as JSON Schema: the proxy checks the grants the service sends with a
  // validator compiled from it (main/policy/generated), not with zod.
  .meta({
    allOf: [
      {
        if: { properties: { scope: { type: 'object', properties: { kind: { const: 'server' } } } } },
        then: { properties: { tool: { not: {}, description: 'a server-scope grant has no "tool"' } } },
        else: { required: ['tool'] },
      },
      {
        if: { properties: { lifetime: { type: 'object', properties: { kind: { enum: ['always', 'session'] } } } } },
        else: { properties: { expiresAt: { not: { type: 'null' }, description: 'only "always" and "session" grants may have expiresAt null' } } },
      },
      {
        if: { properties: { lifetime: { type: 'object', properties: { kind: { const: 'session' } } } } },
        then: {
          properties: {
            client: {
              type: 'object',
              properties: { kind: { const: 'session', description: 'a session client: a session grant must name the client session' } },
            },
          },
        },
      },
    ],
  });
export type Grant = z.infer<typeof Grant>;

export const GrantFile = z.strictObject({
  version: z.literal(1),
  grants: z.array(Grant),
});
export type GrantFile = z.infer<typeof GrantFile>;
