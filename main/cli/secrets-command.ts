/**
 * `mcp-guard secrets`: a wrapped server's secrets in the OS keychain, by name. Values go in through
 * stdin or a prompt that does not echo, never through argv (which other processes can read), and
 * never come out: `list` says whether each is set.
 */
import type { ServerRecord, ServerSecret } from '../../shared/server-registry.js';
import { clientWiring } from './client-wiring.js';

const USAGE = `usage:
  mcp-guard secrets list [--server NAME|ID]          names, where each goes, and whether it is set (never values)
  mcp-guard secrets set NAME|ID SECRET               the value from stdin, or a prompt that does not echo
  mcp-guard secrets set NAME|ID SECRET --helper [--ttl SECONDS] -- COMMAND [ARGS...]
                                                     the value is COMMAND's output, run at each launch
                                                     (and again after SECONDS), e.g. -- gh auth token
  mcp-guard secrets rm NAME|ID SECRET                remove it from the keychain and the server's record`;

export async function secretsCommand(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv;
  if (verb === undefined || verb === '--help' || verb === '-h') {
    process.stdout.write(USAGE + '\n');
    return verb === undefined ? 2 : 0;
  }
  const w = clientWiring({ projects: [] });
  const { records, problems } = w.registry.listSync();
  for (const p of problems) process.stderr.write(`mcp-guard secrets: ${p.file}: ${p.path}: ${p.message}\n`);
  const find = (key: string | undefined): ServerRecord | undefined => {
    const hits = records.filter((r) => r.id === key || r.name === key);
    if (hits.length === 1) return hits[0];
    process.stderr.write(
      hits.length === 0
        ? `mcp-guard secrets: no wrapped server is called "${key ?? ''}" (see mcp-guard servers)\n`
        : `mcp-guard secrets: "${key}" names ${hits.length} servers; use the id: ${hits.map((h) => h.id).join(', ')}\n`,
    );
    return undefined;
  };
  try {
    switch (verb) {
      case 'list': {
        const only = rest[0] === '--server' ? find(rest[1]) : undefined;
        if (rest[0] === '--server' && !only) return 1;
        for (const r of only ? [only] : records) {
          process.stdout.write(`${r.id}\n`);
          if (r.secrets.length === 0) process.stdout.write('    (no secrets)\n');
          for (const s of r.secrets) {
            const state =
              s.source.kind === 'helper'
                ? `helper: ${s.source.command[0]}${s.source.ttlSeconds ? `, re-run after ${s.source.ttlSeconds} s` : ''}`
                : w.secrets.hasSync(r.id, s.name)
                  ? 'set'
                  : 'NOT SET';
            process.stdout.write(`    ${s.name} (${s.target === 'env' ? 'environment variable' : 'request header'}): ${state}\n`);
          }
        }
        return 0;
      }
      case 'set': {
        const [key, name, ...options] = rest;
        const record = find(key);
        if (!record || !name) return record ? usage('set needs a secret name') : 1;
        const target = record.launch.transport === 'stdio' ? 'env' : 'header';
        let secret: ServerSecret;
        if (options[0] === '--helper') {
          const dash = options.indexOf('--');
          const ttlAt = options.indexOf('--ttl');
          const command = dash >= 0 ? options.slice(dash + 1) : [];
          if (command.length === 0) return usage('--helper needs the command after --');
          const ttl = ttlAt >= 0 && ttlAt < dash ? Number(options[ttlAt + 1]) : undefined;
          if (ttl !== undefined && (!Number.isInteger(ttl) || ttl < 1)) return usage(`--ttl "${options[ttlAt + 1]}": expected whole seconds`);
          secret = { name, target, source: { kind: 'helper', command, ...(ttl !== undefined ? { ttlSeconds: ttl } : {}) } };
          w.secrets.deleteSync(record.id, name);
        } else {
          if (options.length > 0) return usage(`unexpected "${options[0]}": the value is read from stdin, never from the command line`);
          const value = await readSecretValue(`value for ${name} of ${record.id}: `);
          if (value === '') return usage('the value is empty; nothing was stored');
          w.secrets.setSync(record.id, name, value);
          secret = { name, target, source: { kind: 'keychain' } };
        }
        w.registry.writeSync({ ...record, secrets: [...record.secrets.filter((s) => s.name !== name), secret] });
        process.stdout.write(
          `${record.id}: ${name} set${secret.source.kind === 'helper' ? ' (from a helper)' : ' in the keychain'}; it is used from the next launch\n`,
        );
        return 0;
      }
      case 'rm': {
        const [key, name] = rest;
        const record = find(key);
        if (!record || !name) return record ? usage('rm needs a secret name') : 1;
        w.secrets.deleteSync(record.id, name);
        w.registry.writeSync({ ...record, secrets: record.secrets.filter((s) => s.name !== name) });
        process.stdout.write(`${record.id}: ${name} removed\n`);
        return 0;
      }
      default:
        return usage(`unknown command "${verb}"`);
    }
  } catch (error) {
    process.stderr.write(`mcp-guard secrets: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function usage(problem: string): number {
  process.stderr.write(`mcp-guard secrets: ${problem}\n${USAGE}\n`);
  return 2;
}

/** All of stdin when it is piped (one trailing newline dropped); a prompt without echo at a terminal. */
async function readSecretValue(prompt: string): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks)
      .toString('utf8')
      .replace(/\r?\n$/, '');
  }
  process.stderr.write(prompt);
  stdin.setRawMode(true);
  stdin.resume();
  let value = '';
  try {
    for await (const chunk of stdin) {
      for (const ch of (chunk as Buffer).toString('utf8')) {
        if (ch === '\r' || ch === '\n') return value;
        if (ch === '\u0003') throw new Error('cancelled; nothing was stored');
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    }
    return value;
  } finally {
    stdin.setRawMode(false);
    stdin.pause();
    process.stderr.write('\n');
  }
}
