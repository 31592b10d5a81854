import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath } from '../helpers/paths.js';
import { tempDir } from '../helpers/proxy.js';

function admin(args: string[], cwd: string) {
  const r = spawnSync(process.execPath, [cliPath, 'admin', ...args], { cwd, encoding: 'utf8', env: { PATH: process.env['PATH'], HOME: cwd } });
  return { code: r.status, out: r.stdout + r.stderr, stdout: r.stdout };
}

describe('a private key never reaches the output', () => {
  it('not in a signed document, nor in the error for a broken or misused key file', () => {
    const dir = tempDir();
    admin(['keygen', '--out', 'k'], dir);
    const privateText = readFileSync(join(dir, 'k.private.jwk'), 'utf8');
    const { d } = JSON.parse(privateText) as { d: string };
    writeFileSync(join(dir, 'policy.json'), JSON.stringify({ version: 1 }));

    const signed = admin(['sign', '--key', 'k.private.jwk', 'policy.json'], dir);
    expect(signed.code).toBe(0);
    expect(signed.out).not.toContain(d);
    const payload = (JSON.parse(signed.stdout) as { payload: string }).payload;
    expect(Buffer.from(payload, 'base64url').toString()).not.toContain(d);

    // JSON.parse's own message would quote the text around the error: the key.
    writeFileSync(join(dir, 'broken.private.jwk'), privateText.replace('}', ',}'));
    const broken = admin(['sign', '--key', 'broken.private.jwk', 'policy.json'], dir);
    expect(broken).toMatchObject({ code: 1, out: expect.stringContaining('not valid JSON') });
    expect(broken.out).not.toContain(d);

    // A private key given where a public key belongs is refused, not stripped: a root never carries `d`.
    const misused = admin(['root', '--keys', 'k.private.jwk', '--threshold', '1', '--sign', 'k.private.jwk'], dir);
    expect(misused).toMatchObject({ code: 1, stdout: '', out: expect.stringContaining('not an Ed25519 public JWK (field d)') });
    expect(misused.out).not.toContain(d);
    writeFileSync(join(dir, 'wrong.private.jwk'), JSON.stringify({ ...(JSON.parse(privateText) as object), crv: 'X25519' }));
    const wrong = admin(['sign', '--key', 'wrong.private.jwk', 'policy.json'], dir);
    expect(wrong).toMatchObject({ code: 1, out: expect.stringContaining('field crv') });
    expect(wrong.out).not.toContain(d);
  });
});
