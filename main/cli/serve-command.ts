import { userInfo } from 'node:os';
import { AuditLog } from '../audit/audit-log.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { JsonLineLogger } from '../common/logger.js';
import { deviceIdSync } from '../store/device-id.js';
import { GrantStore } from '../store/grant-store.js';
import { GuardService } from '../service/guard-service.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { managedPolicyPathSync } from '../store/managed-policy-path.js';
import { PolicyStore } from '../store/policy-store.js';
import { ensurePrivateDirSync } from '../store/private-dir.js';

const USAGE = `usage: mcp-guard serve

Runs the MCP Guard service in the foreground (the same service the desktop app runs): proxies
connect to it to ask you about calls and to record audit events. Structured logs go to stderr.
Stop it with Ctrl-C (SIGINT) or SIGTERM.`;

/** `mcp-guard serve`: the guard service, headless. */
export async function serveCommand(argv: string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE + '\n');
    return 0;
  }
  if (argv.length > 0) {
    process.stderr.write(`mcp-guard serve: unknown option "${argv[0]}"\n${USAGE}\n`);
    return 2;
  }
  const log = new JsonLineLogger(process.stderr, { component: 'mcp-guard-service' });
  const paths = guardPaths(guardHome());
  let service: GuardService;
  let audit: AuditLog | undefined;
  try {
    ensurePrivateDirSync(paths.home);
    audit = await AuditLog.open(paths.auditDir, { onWarning: (m) => log.log('warn', m) });
    const { repaired, tailProblem, anchored } = audit.openReport;
    if (repaired) log.log('warn', `audit log: repaired a torn last line left by a crash`, { file: repaired.file });
    if (tailProblem) {
      const at = `${tailProblem.file}${tailProblem.line !== undefined ? `:${tailProblem.line}` : ''}`;
      log.log('error', `audit log: does not verify at ${at}: ${tailProblem.problem}; continuing in a new segment (run mcp-guard audit verify)`);
    }
    if (anchored) {
      const why = anchored.reason === 'missing' ? 'it had none (written before MCP Guard anchored the head, or deleted)' : 'it was unreadable (torn by a power loss, or edited)';
      log.log('warn', `audit log: wrote the head anchor, since ${why}; events cut from the end before now cannot be seen`, { dir: paths.auditDir, head: anchored.head });
    }
    const policy = new PolicyStore({ userPolicy: paths.userPolicy, managedPolicy: managedPolicyPathSync() });
    policy.reloadSync();
    for (const p of policy.problems) log.log('error', formatFileProblem(p));
    service = await GuardService.start({
      paths,
      log,
      audit,
      policy,
      grants: new GrantStore(paths.grants, (problem) => log.log('error', problem)),
      deviceId: deviceIdSync(paths.deviceId),
      osUser: userInfo().username,
    });
  } catch (error) {
    await audit?.close().catch(() => undefined);
    process.stderr.write(`mcp-guard serve: ${error instanceof Error ? error.message : String(error)}; not started\n`);
    return 1;
  }
  await new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  log.log('info', 'stopping');
  await service.stop();
  return 0;
}
