import { useId } from 'react';
import type { SecretsServer } from '../../../../shared/secrets-page.js';
import { targetLabel } from '../lib/labels.js';

/** The secret's name: fixed when changing one the server has, a field (checked as typed) when adding one. */
export function NameField({
  server,
  name,
  fixed,
  problem,
  showProblem,
  onChange,
}: {
  server: SecretsServer;
  name: string;
  fixed: boolean;
  problem: string | undefined;
  showProblem: boolean;
  onChange: (name: string) => void;
}) {
  const id = useId();
  if (fixed)
    return (
      <p>
        {`Secret: `}
        <code>{name}</code>
        {` (${targetLabel(server.target)})`}
      </p>
    );
  const hint =
    server.target === 'env' ? 'The environment variable the server reads, like GITHUB_TOKEN.' : 'The request header the server expects, like Authorization.';
  return (
    <div className="field">
      <label htmlFor={id}>Name</label>
      <input
        id={id}
        className="input"
        value={name}
        onChange={(e) => onChange(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        aria-invalid={showProblem && problem !== undefined}
        aria-describedby={`${id}-hint`}
        data-testid="secret-name-input"
      />
      <span id={`${id}-hint`} className={showProblem && problem !== undefined ? 'field-error' : 'field-hint'}>
        {showProblem && problem !== undefined ? problem : hint}
      </span>
    </div>
  );
}
