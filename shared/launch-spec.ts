import { z } from 'zod';

/**
 * How the proxy reaches the real server: a value, so `mcp-guard run <serverId>` can load it from the
 * guard's server registry (main/store). A stdio server is a command line with its working directory
 * and the environment it adds; a remote one a Streamable HTTP URL with its headers. Secrets are not
 * part of it on disk: they live in the OS keychain and are injected at launch.
 */
const ServerName = z.string().min(1);

export const StdioLaunchSpec = z.strictObject({
  kind: z.literal('stdio'),
  name: ServerName,
  command: z.string().min(1),
  args: z.array(z.string()),
  cwd: z.string().optional(),
  env: z.record(z.string(), z.string()).optional(),
});

export const HttpLaunchSpec = z.strictObject({
  kind: z.literal('http'),
  name: ServerName,
  url: z.url(),
  headers: z.record(z.string(), z.string()),
});

export const LaunchSpec = z.discriminatedUnion('kind', [StdioLaunchSpec, HttpLaunchSpec]);
export type LaunchSpec = z.infer<typeof LaunchSpec>;
