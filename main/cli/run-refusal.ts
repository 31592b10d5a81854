/**
 * A wrapped entry's launch that `mcp-guard run` refused, as an audit event in a spool of its own
 * (this process ends right after; the service takes the spool in when it next runs). A module of
 * its own, outside the launch bundle: the spool brings the audit schemas.
 */
import { randomUUID } from 'node:crypto';
import { AuditIdGenerator } from '../audit/ids.js';
import { Spool } from '../audit/spool.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';

/** The refusal, as an audit event in a spool of its own (this process ends right after). */
export async function auditRefusal(id: string, reason: string, env: NodeJS.ProcessEnv): Promise<void> {
  const paths = guardPaths(guardHome(env));
  const spool = new Spool(paths.spoolDir, `${process.pid}-${randomUUID()}`);
  spool.append([
    {
      id: new AuditIdGenerator().next(),
      time: new Date().toISOString(),
      kind: 'server-refused',
      server: { name: id.slice(0, 200) },
      detail: { serverId: id.slice(0, 200), reason },
    },
  ]);
  await spool.flush();
}
