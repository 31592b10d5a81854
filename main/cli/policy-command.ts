import { homedir } from 'node:os';
import { join } from 'node:path';
import { policyJsonSchema, type PolicyDocument } from '../../shared/policy.js';
import { cliIo, flags, UsageError, type CliIo } from './cli-options.js';
import { guardHome, guardPaths } from '../store/guard-paths.js';
import { FileRefusedError, readBoundedTextIfExistsSync, type ReadLimit } from '../store/read-bounded.js';
import { importClaudePermissions } from '../policy/claude-import.js';
import { parsePolicyText } from '../policy/parse-policy.js';
import { PolicyEngine } from '../policy/policy-engine.js';
import { explainCall, explainTarget } from '../policy/explain-call.js';
import { effectivePolicyView, explanationText } from '../policy/policy-view.js';
import { formatFileProblem } from '../store/atomic-file.js';
import { POLICY_READ_LIMIT, type PolicyStore } from '../store/policy-store.js';
import { ManagedPolicyStore } from '../sync/managed-policy-store.js';

export const POLICY_USAGE = `usage:
  mcp-guard policy check FILE
  mcp-guard policy explain --server S --tool T [--args JSON] [--client NAME] [--policy FILE] [--managed FILE] [--json]
  mcp-guard policy show
  mcp-guard policy import-claude [--settings FILE]
  mcp-guard policy schema`;

/** Claude Code's settings.json holds permissions and a few preferences: a few KiB; the policy cap is ample. */
const CLAUDE_SETTINGS_READ_LIMIT: ReadLimit = {
  what: 'Claude Code settings',
  maxBytes: POLICY_READ_LIMIT.maxBytes,
  fix: 'pass the right file with --settings FILE',
};

/** `mcp-guard policy …`: exit 0 ok, 1 on problems with a file or policy, 2 on usage errors. */
export async function policyCommand(argv: string[], io: CliIo = cliIo()): Promise<number> {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'check':
        return check(rest, io);
      case 'explain':
        return await explain(rest, io);
      case 'show':
        return await show(rest, io);
      case 'import-claude':
        return await importClaude(rest, io);
      case 'schema':
        io.stdout.write(JSON.stringify(policyJsonSchema(), null, 2) + '\n');
        return 0;
      case '--help':
      case undefined:
        io.stdout.write(POLICY_USAGE + '\n');
        return sub === undefined ? 2 : 0;
      default:
        throw new UsageError(`unknown subcommand "${sub}"`);
    }
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr.write(`mcp-guard policy: ${error.message}\n${POLICY_USAGE}\n`);
    return 2;
  }
}

/** Reads and validates a policy file; prints every problem and returns undefined when there are any. */
function readPolicy(file: string, io: CliIo): PolicyDocument | undefined {
  let text: string | undefined;
  try {
    text = readBoundedTextIfExistsSync(file, POLICY_READ_LIMIT);
  } catch (error) {
    if (error instanceof FileRefusedError) io.stderr.write(`mcp-guard: policy file ${file}: ${error.reason}\n`);
    else io.stderr.write(`mcp-guard: policy file ${file}: cannot read it (${(error as Error).message}); check its permissions\n`);
    return undefined;
  }
  if (text === undefined) {
    io.stderr.write(`mcp-guard: policy file ${file}: not found; check the path\n`);
    return undefined;
  }
  const parsed = parsePolicyText(text);
  if (parsed.ok) return parsed.policy;
  for (const p of parsed.problems) io.stderr.write(`mcp-guard: policy file ${file}: ${p.path}: ${p.message}\n`);
  return undefined;
}

function check(args: string[], io: CliIo): number {
  const { positional } = flags(args, {});
  if (positional.length !== 1) throw new UsageError('check needs exactly one FILE');
  const file = positional[0]!;
  const policy = readPolicy(file, io);
  if (!policy) return 1;
  io.stdout.write(`${file}: valid (${policy.rules?.length ?? 0} rules, ${policy.servers?.length ?? 0} server rules, mode ${policy.mode ?? 'enforce'})\n`);
  return 0;
}

/** The policy in force as a proxy would load it: the user file and the managed layer (IT's signed policy, or the plain file). */
async function storeFor(io: CliIo): Promise<PolicyStore> {
  const paths = guardPaths(guardHome(io.env));
  const store = (await ManagedPolicyStore.open({ env: io.env, home: paths.home, userPolicy: paths.userPolicy })).policy;
  const status = store.managedStatus;
  if (status?.lockedDown) io.stderr.write(`mcp-guard: managed policy is locked down, every call is denied: ${status.lockedDown}\n`);
  else if (status?.stale) io.stderr.write(`mcp-guard: managed policy is stale: ${status.stale}\n`);
  return store;
}

async function explain(args: string[], io: CliIo): Promise<number> {
  const { values, positional } = flags(args, {
    '--server': 'value',
    '--tool': 'value',
    '--args': 'value',
    '--client': 'value',
    '--policy': 'value',
    '--managed': 'value',
    '--json': 'switch',
  });
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const server = values.get('--server');
  const tool = values.get('--tool');
  if (!server || !tool) throw new UsageError('explain needs --server and --tool');
  const argsText = values.get('--args');
  const call = { server, tool, arguments: argsText, client: values.get('--client') };
  // Arguments that are not JSON (an empty --args included) are a usage error before any file is read.
  if (argsText?.trim() === '' || !explainTarget(call).ok) throw new UsageError(`--args: not valid JSON: ${argsText}`);
  let user: PolicyDocument | undefined;
  let managed: PolicyDocument | undefined;
  const store = values.has('--policy') && values.has('--managed') ? undefined : await storeFor(io);
  if (store) {
    for (const p of store.problems) io.stderr.write(`mcp-guard: policy file ${formatFileProblem(p)}\n`);
    if (store.problems.length > 0) return 1;
  }
  if (values.has('--policy')) {
    user = readPolicy(values.get('--policy')!, io);
    if (!user) return 1;
  } else user = store?.userInForce;
  if (values.has('--managed')) {
    managed = readPolicy(values.get('--managed')!, io);
    if (!managed) return 1;
  } else managed = store?.managed;
  const explained = explainCall(new PolicyEngine({ managed, user }), call, Date.now());
  if (!explained.ok) throw new UsageError(explained.reason);
  if (values.has('--json')) io.stdout.write(JSON.stringify(explained.explanation) + '\n');
  else io.stdout.write(explanationText(explained.evaluation, `mcp__${server}__${explained.tool}`) + '\n');
  return 0;
}

async function show(args: string[], io: CliIo): Promise<number> {
  const { positional } = flags(args, {});
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const store = await storeFor(io);
  for (const p of store.problems) io.stderr.write(`mcp-guard: policy file ${formatFileProblem(p)}\n`);
  const managed = store.managedStatus;
  const view = { files: store.files, ...(managed ? { managed } : {}), ...effectivePolicyView(store.current().engine) };
  io.stdout.write(JSON.stringify(view, null, 2) + '\n');
  return store.problems.length > 0 ? 1 : 0;
}

async function importClaude(args: string[], io: CliIo): Promise<number> {
  const { values, positional } = flags(args, { '--settings': 'value' });
  if (positional.length > 0) throw new UsageError(`unexpected argument "${positional[0]}"`);
  const file = values.get('--settings') ?? join(io.env['HOME'] ?? homedir(), '.claude', 'settings.json');
  let settings: unknown;
  try {
    const text = readBoundedTextIfExistsSync(file, CLAUDE_SETTINGS_READ_LIMIT);
    if (text === undefined) {
      io.stderr.write(`mcp-guard: Claude Code settings ${file}: not found; pass the file with --settings FILE\n`);
      return 1;
    }
    settings = JSON.parse(text);
  } catch (error) {
    if (error instanceof FileRefusedError) io.stderr.write(`mcp-guard: Claude Code settings ${file}: ${error.reason}\n`);
    else io.stderr.write(`mcp-guard: Claude Code settings ${file}: ${(error as Error).message}; pass the file with --settings FILE\n`);
    return 1;
  }
  const store = await storeFor(io);
  const userProblems = store.problems.filter((p) => p.file === store.files.user);
  if (userProblems.length > 0) {
    for (const p of userProblems) io.stderr.write(`mcp-guard: policy file ${formatFileProblem(p)}\n`);
    io.stderr.write(`mcp-guard: not importing into a policy file that does not validate; fix ${store.files.user} first\n`);
    return 1;
  }
  const result = importClaudePermissions(settings, store.user);
  const problems = store.saveUserSync(result.policy);
  if (problems.length > 0) {
    for (const p of problems) io.stderr.write(`mcp-guard: policy file ${formatFileProblem(p)}\n`);
    return 1;
  }
  for (const r of result.imported) io.stdout.write(`imported ${r.action.padEnd(5)} ${r.tool}  (rule ${r.id})\n`);
  for (const s of result.skipped) io.stdout.write(`skipped  ${s.entry}: ${s.reason}\n`);
  io.stdout.write(`${result.imported.length} rules written to ${store.files.user}\n`);
  return 0;
}
