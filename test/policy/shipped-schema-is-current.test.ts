import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliPath, repoRoot } from '../helpers/paths.js';

describe('the JSON Schema shipped for editors', () => {
  it('is what the zod policy schema emits today (run npm run schema after changing it)', () => {
    const emitted = execFileSync(process.execPath, [cliPath, 'policy', 'schema'], { encoding: 'utf8' });
    expect(readFileSync(join(repoRoot, 'schema', 'policy-v1.json'), 'utf8')).toBe(emitted);
  });
});
