import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';

function admin(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cliPath, 'admin', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: cwd } });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}
const POLICY = { version: 1, rules: [{ id: 'no-shell', tool: 'mcp__shell__*', action: 'deny' }] };

describe('mcp-guard admin, end to end with real files', () => {
  it('keygen writes a 0600 private key and a public key, and never overwrites', () => {
    const dir = tempDir();
    const r = admin(['keygen', '--out', join(dir, 'it')], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/kid [A-Za-z0-9_-]{43}\n/);
    expect(statSync(join(dir, 'it.private.jwk')).mode & 0o777).toBe(0o600);
    const priv = JSON.parse(readFileSync(join(dir, 'it.private.jwk'), 'utf8')) as { d: string; x: string };
    const pub = JSON.parse(readFileSync(join(dir, 'it.public.jwk'), 'utf8')) as object;
    expect(pub).toEqual({ kty: 'OKP', crv: 'Ed25519', x: priv.x });
    expect(r.stdout + r.stderr).not.toContain(priv.d);
    const again = admin(['keygen', '--out', join(dir, 'it')], dir);
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already exists') });
    expect((JSON.parse(readFileSync(join(dir, 'it.private.jwk'), 'utf8')) as { d: string }).d).toBe(priv.d);
  });

  it('root, sign, verify: exit 0 for a good bundle, 1 with the reason otherwise, 2 on usage errors', () => {
    const dir = tempDir();
    for (const k of ['a', 'b', 'c']) expect(admin(['keygen', '--out', k], dir).code).toBe(0);
    const root = admin(['root', '--keys', 'a.public.jwk,b.public.jwk,c.public.jwk', '--threshold', '2', '--sign', 'a.private.jwk,b.private.jwk'], dir);
    expect(root.code).toBe(0);
    writeFileSync(join(dir, 'root.jws'), root.stdout);
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(POLICY));

    const signed = admin(['sign', '--key', 'b.private.jwk,c.private.jwk', '--version', '42', '--expires', '7d', 'policy.json'], dir);
    expect(signed.code).toBe(0);
    writeFileSync(join(dir, 'policy.jws'), signed.stdout);
    const good = admin(['verify', '--root', 'root.jws', 'policy.jws'], dir);
    expect(good).toMatchObject({ code: 0, stdout: expect.stringMatching(/version 42\nissued {2}\S+Z\nexpires \S+Z\nsigners \S+, \S+\n/) });
    expect(admin(['verify', '--key', 'c.public.jwk', 'policy.jws'], dir).code).toBe(0);

    const one = admin(['sign', '--key', 'a.private.jwk', 'policy.json'], dir);
    writeFileSync(join(dir, 'one.jws'), one.stdout);
    expect(admin(['verify', '--root', 'root.jws', 'one.jws'], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('refused (threshold-not-met)') });
    expect(admin(['verify', '--key', 'b.public.jwk', 'one.jws'], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('threshold-not-met') });
    expect(admin(['verify', '--key', 'a.public.jwk', 'root.jws'], dir)).toMatchObject({ code: 1, stderr: expect.stringContaining('refused (wrong-type)') });

    expect(admin(['verify', 'policy.jws'], dir).code).toBe(2);
    expect(admin(['verify', '--key', 'a.public.jwk', '--root', 'root.jws', 'policy.jws'], dir).code).toBe(2);
    expect(admin(['sign', '--key', 'a.private.jwk', '--expires', 'soon', 'policy.json'], dir).code).toBe(2);
    expect(admin(['frobnicate'], dir).code).toBe(2);
  });

  it('sign validates the policy first; root refuses a threshold its signers do not meet', () => {
    const dir = tempDir();
    for (const k of ['a', 'b']) admin(['keygen', '--out', k], dir);
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ version: 1, rules: [{ id: 'x', tool: 'nope', action: 'deny' }] }));
    const bad = admin(['sign', '--key', 'a.private.jwk', 'bad.json'], dir);
    expect(bad).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('policy file bad.json: rules[0].tool') });
    const root = admin(['root', '--keys', 'a.public.jwk,b.public.jwk', '--threshold', '2', '--sign', 'a.private.jwk'], dir);
    expect(root).toMatchObject({ code: 1, stdout: '', stderr: expect.stringContaining('would be refused (threshold-not-met)') });
  });

  it('rotates a root: version 2 signed by the old and the new keys verifies bundles of the new keys', () => {
    const dir = tempDir();
    for (const k of ['old', 'new']) admin(['keygen', '--out', k], dir);
    writeFileSync(join(dir, 'root1.jws'), admin(['root', '--keys', 'old.public.jwk', '--threshold', '1', '--sign', 'old.private.jwk'], dir).stdout);
    const onlyNew = admin(
      ['root', '--keys', 'new.public.jwk', '--threshold', '1', '--sign', 'new.private.jwk', '--previous', 'root1.jws', '--sign-previous', 'new.private.jwk'],
      dir,
    );
    expect(onlyNew).toMatchObject({ code: 1, stderr: expect.stringContaining("0 of root 1's keys") });
    const rotated = admin(
      ['root', '--keys', 'new.public.jwk', '--threshold', '1', '--sign', 'new.private.jwk', '--previous', 'root1.jws', '--sign-previous', 'old.private.jwk'],
      dir,
    );
    expect(rotated).toMatchObject({ code: 0, stderr: expect.stringContaining('root version 2') });
    writeFileSync(join(dir, 'root2.jws'), rotated.stdout);
    writeFileSync(join(dir, 'policy.json'), JSON.stringify(POLICY));
    writeFileSync(join(dir, 'policy.jws'), admin(['sign', '--key', 'new.private.jwk', 'policy.json'], dir).stdout);
    expect(admin(['verify', '--root', 'root2.jws', 'policy.jws'], dir).code).toBe(0);
    expect(admin(['verify', '--root', 'root1.jws', 'policy.jws'], dir).code).toBe(1);
  });
});
