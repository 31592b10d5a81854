import type { DiffLine } from '../../../../shared/servers-page.js';
import { DIFF_SECRET_MARKER } from '../../../../shared/servers-page.js';
import { visible } from '../../approvals/lib/visible-text.js';

const SIGN: Record<DiffLine['kind'], string> = { added: '+', removed: '−', context: ' ', header: '', hunk: '' };
const SPOKEN: Record<DiffLine['kind'], string> = { added: 'Added: ', removed: 'Removed: ', context: '', header: '', hunk: '' };
const MARKERS = new RegExp(`(${DIFF_SECRET_MARKER}|\\[secret\\])`);

/** One file's diff exactly as the wrap or unwrap will make it: every changed line, with a few lines around; secrets as a marker. */
export function ConfigDiff({ file, lines }: { file: string; lines: readonly DiffLine[] }) {
  const body = lines.filter((l) => l.kind !== 'header');
  const added = body.filter((l) => l.kind === 'added').length;
  const removed = body.filter((l) => l.kind === 'removed').length;
  return (
    <section className="config-diff" aria-label={`Changes to ${file}`}>
      <h3 className="config-diff-file">
        <code>{visible(file)}</code>
      </h3>
      <p className="subtle">{`${removed} ${removed === 1 ? 'line' : 'lines'} removed, ${added} added`}</p>
      <pre className="config-diff-lines" data-testid="config-diff" tabIndex={0} aria-label={`Diff of ${file}`}>
        {body.map((line, i) =>
          line.kind === 'hunk' ? (
            <span className="cfg-line cfg-hunk" key={i}>{`${line.text.replace(/^@@ line (\d+) @@$/, 'from line $1')}\n`}</span>
          ) : (
            <span className={`cfg-line cfg-${line.kind === 'context' ? 'same' : line.kind}`} key={i}>
              {SPOKEN[line.kind] !== '' ? <span className="sr-only">{SPOKEN[line.kind]}</span> : null}
              <span className="cfg-sign" aria-hidden="true">
                {SIGN[line.kind]}
              </span>{' '}
              <Masked text={visible(line.text)} />
              {'\n'}
            </span>
          ),
        )}
      </pre>
    </section>
  );
}

/** The text with each secret marker set apart, so it cannot be mistaken for a value. */
function Masked({ text }: { text: string }) {
  const parts = text.split(MARKERS);
  return (
    <>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <span className="secret-marker" key={i} title="A secret value: it is in the OS keychain, and not shown here">
            {part}
          </span>
        ) : (
          part
        ),
      )}
    </>
  );
}
