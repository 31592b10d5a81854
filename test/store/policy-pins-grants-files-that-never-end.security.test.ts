/**
 * Threat: the user policy, the managed policy, pins.json or grants.json is a symlink to a device
 * that never ends (/dev/zero), or huge: loading it would hang the service and every proxy and eat
 * memory. Each store refuses it at once with a problem naming the file, what it is and the cap;
 * the refused file loosens nothing (the last good one stays in force, or everything is denied / held).
 *
 * The stores run in a child process (the built modules, real files) under an address-space
 * ceiling and a deadline, so that a regression to an unbounded read fails fast instead of taking
 * the test machine's memory.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../helpers/paths.js';
import { alwaysGrant } from '../helpers/grants.js';

const built = (module: string) => pathToFileURL(join(repoRoot, 'dist', 'main', 'store', `${module}.js`)).href;
const denyPush = JSON.stringify({ version: 1, rules: [{ id: 'no-push', tool: 'mcp__github__push', action: 'deny' }] });
const call = { server: { name: 'github' }, tool: 'push', arguments: {}, client: {}, now: 0 };
type Outcome = { effect: string; rule: string; problems: string[] };

/** Runs `body` (an async function body of ES module code with the stores imported) in a child; returns what it prints as JSON. */
function inChild(dir: string, body: string): unknown {
  const script = join(dir, 'child.mjs');
  writeFileSync(
    script,
    `import { PolicyStore } from ${JSON.stringify(built('policy-store'))};
     import { PinStore } from ${JSON.stringify(built('pin-store'))};
     import { GrantStore } from ${JSON.stringify(built('grant-store'))};
     const call = ${JSON.stringify(call)};
     const outcome = (store) => { const { engine, problems } = store.current(); const e = engine.evaluate(call); return { effect: e.effect, rule: e.rule, problems }; };
     const out = await (async () => { ${body} })();
     process.stdout.write(JSON.stringify(out));`,
  );
  const started = Date.now();
  const r = spawnSync('bash', ['-c', 'ulimit -v 3000000; exec "$0" "$@"', process.execPath, script], {
    encoding: 'utf8',
    timeout: 10_000,
    killSignal: 'SIGKILL',
    cwd: dir,
  });
  expect(r.signal, `the child was killed (it hung); stderr: ${r.stderr}`).toBeNull();
  expect(r.status, `stderr: ${r.stderr}`).toBe(0);
  expect(Date.now() - started).toBeLessThan(5000);
  return JSON.parse(r.stdout) as unknown;
}

const dir = () => mkdtempSync(join(tmpdir(), 'mcp-guard-bounded-'));
const turnIntoDevZero = (file: string) => (rmSync(file, { force: true }), symlinkSync('/dev/zero', file));
const overCap = (mib: number) => JSON.stringify({ version: 1, padding: 'x'.repeat(mib * 1024 * 1024) });

describe.skipIf(process.platform === 'win32')('policy, pins and grants files that never end', () => {
  it('a user policy turned into /dev/zero or a huge file is refused and the last good policy stays in force', () => {
    const d = dir();
    const user = join(d, 'policy.json');
    writeFileSync(user, denyPush);
    const out = inChild(
      d,
      `const store = new PolicyStore({ userPolicy: ${JSON.stringify(user)}, managedPolicy: ${JSON.stringify(join(d, 'managed.json'))} });
       store.reloadSync();
       const { rmSync, symlinkSync, writeFileSync } = await import('node:fs');
       rmSync(${JSON.stringify(user)}); symlinkSync('/dev/zero', ${JSON.stringify(user)});
       store.reloadSync();
       const device = outcome(store);
       rmSync(${JSON.stringify(user)}); writeFileSync(${JSON.stringify(user)}, ${JSON.stringify(overCap(5))});
       store.reloadSync();
       return { device, huge: outcome(store) };`,
    ) as { device: Outcome; huge: Outcome };
    expect(out.device).toEqual<Outcome>({
      effect: 'deny',
      rule: 'no-push',
      problems: [
        `${user}: (root): a character device, not a regular file; MCP Guard reads policy only from a regular file of at most 4 MiB: make it one (or remove it); keeping the previous policy in force`,
      ],
    });
    expect(out.huge).toEqual<Outcome>({
      effect: 'deny',
      rule: 'no-push',
      problems: [expect.stringMatching(new RegExp(`^${user}: \\(root\\): 5\\.0 MiB, over the 4 MiB cap for policy; .*keeping the previous policy in force$`))],
    });
  });

  it('a managed policy that is /dev/zero from the start denies every call', () => {
    const d = dir();
    const managed = join(d, 'managed.json');
    turnIntoDevZero(managed);
    const out = inChild(
      d,
      `const store = new PolicyStore({ userPolicy: ${JSON.stringify(join(d, 'policy.json'))}, managedPolicy: ${JSON.stringify(managed)} }); store.reloadSync(); return outcome(store);`,
    );
    expect(out).toEqual<Outcome>({
      effect: 'deny',
      rule: 'policy-file-unreadable',
      problems: [expect.stringMatching(new RegExp(`^${managed}: \\(root\\): a character device, not a regular file; .*denying every call until it is fixed$`))],
    });
  });

  it('pins.json that is /dev/zero, or over the cap, is refused: callers hold every tool', () => {
    const d = dir();
    const device = join(d, 'pins.json');
    turnIntoDevZero(device);
    const huge = join(d, 'huge-pins.json');
    writeFileSync(huge, overCap(33));
    const out = inChild(
      d,
      `return [new PinStore(${JSON.stringify(device)}).loadSync(), new PinStore(${JSON.stringify(huge)}).loadSync()].map((l) => ({ state: l.state, problems: l.problems }));`,
    );
    expect(out).toEqual([
      {
        state: 'corrupt',
        problems: [
          {
            file: device,
            path: '(root)',
            message: expect.stringMatching(/^a character device, not a regular file; MCP Guard reads tool pins only from a regular file of at most 32 MiB/),
          },
        ],
      },
      {
        state: 'corrupt',
        problems: [{ file: huge, path: '(root)', message: expect.stringMatching(/^33\.0 MiB, over the 32 MiB cap for tool pins; .*mcp-guard pins reset/) }],
      },
    ]);
  });

  it('grants.json turned into /dev/zero is refused and the grants held before stay', () => {
    const d = dir();
    const file = join(d, 'grants.json');
    const grant = alwaysGrant('gh', 't');
    writeFileSync(file, JSON.stringify({ version: 1, grants: [grant] }));
    const out = inChild(
      d,
      `const store = new GrantStore(${JSON.stringify(file)});
       store.load();
       const { rmSync, symlinkSync } = await import('node:fs');
       rmSync(${JSON.stringify(file)}); symlinkSync('/dev/zero', ${JSON.stringify(file)});
       return { grants: store.load().map((g) => g.id), problems: store.problems };`,
    );
    expect(out).toEqual({
      grants: ['g1'],
      problems: [
        {
          file,
          path: '(root)',
          message: expect.stringMatching(
            /^a character device, not a regular file; MCP Guard reads grants only from a regular file of at most 8 MiB.*; keeping the grants held before$/,
          ),
        },
      ],
    });
  });
});
