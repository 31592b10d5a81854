import { ServerSecrets } from '../secrets/server-secrets.js';
import type { IpcHandler } from './handle.js';
import type { PageContext } from './page-context.js';

type SecretsChannels = 'secrets:list' | 'secrets:set' | 'secrets:delete' | 'secrets:set-helper';

/**
 * Handlers of the `secrets:*` channels: main/secrets/server-secrets.ts does the work and the
 * checks (the server is wrapped, the name suits its target, the value is bounded). The log gets the
 * server and the name of each change, never a value; nothing here returns one.
 */
export function secretsHandlers(ctx: PageContext): { readonly [C in SecretsChannels]: IpcHandler<C> } {
  // Made on first use: the context is not read until a channel is invoked.
  let secrets: ServerSecrets | undefined;
  const get = () => (secrets ??= new ServerSecrets(ctx.registry, ctx.secrets));
  // Each change is logged, and each one made is an audit event: the server and the secret's name, never a value.
  const logged = <R extends { ok: boolean }>(change: 'set' | 'helper' | 'deleted', serverId: string, name: string, result: R): R => {
    ctx.log.log(result.ok ? 'info' : 'warn', `secrets page: ${change} ${result.ok ? 'done' : 'refused'}`, { server: serverId, secret: name.slice(0, 256) });
    if (result.ok) {
      const read = ctx.registry.readSync(serverId);
      const server = read.state === 'ok' ? read.record.name : serverId;
      ctx.service
        .note({ kind: 'secret-changed', server: { name: server }, detail: { serverId, name, change } })
        .catch((error: unknown) => ctx.log.log('error', `could not record a secret change: ${String(error)}`, { server: serverId }));
    }
    return result;
  };
  return {
    'secrets:list': () => get().listSync(),
    'secrets:set': (serverId, name, value) => logged('set', serverId, name, get().setSync(serverId, name, value)),
    'secrets:delete': (serverId, name) => logged('deleted', serverId, name, get().deleteSync(serverId, name)),
    'secrets:set-helper': (serverId, name, command, ttlSeconds) =>
      logged('helper', serverId, name, get().setHelperSync(serverId, name, { command, ttlSeconds })),
  };
}
