import type { ReactNode } from 'react';
import type { ServerRow } from '../../../../shared/servers-page.js';
import { shortHash, visible } from '../../approvals/lib/visible-text.js';

/** What the server runs, as MCP Guard knows it: transport, command or URL, package, publisher, version, pinning, file hash, secrets. */
export function ServerIdentityFacts({ row }: { row: ServerRow }) {
  const i = row.identity;
  const facts: [string, ReactNode][] = [];
  if (i) {
    facts.push([
      i.transport === 'stdio' ? 'Runs' : 'URL',
      <code key="run">{visible(i.transport === 'stdio' ? [i.command ?? '', ...(i.args ?? [])].join(' ') : (i.url ?? ''))}</code>,
    ]);
    if (i.transport !== 'stdio') facts.push(['Transport', i.transport === 'http' ? 'Streamable HTTP' : 'HTTP+SSE (old)']);
    if (i.package !== undefined) facts.push(['Package', <code key="pkg">{visible(i.package)}</code>]);
    if (i.publisher !== undefined) facts.push(['Publisher', visible(i.publisher)]);
    if (i.version !== undefined) facts.push(['Version', visible(i.version)]);
    facts.push(['Pinned', pinnedText(row)]);
    // The file a server runs is usually one of its arguments, shown above already.
    if (i.file !== undefined && !(i.args ?? []).includes(i.file) && i.command !== i.file) facts.push(['File', <code key="file">{visible(i.file)}</code>]);
    if (i.fileSha256 !== undefined)
      facts.push([
        'File SHA-256',
        <code key="sha" title={i.fileSha256}>
          {`${shortHash(i.fileSha256)}…`}
        </code>,
      ]);
  }
  if (row.secrets.length > 0)
    facts.push([
      'Secrets',
      <span key="secrets">
        {row.secrets.map((s, n) => (
          <span key={s.name}>
            {n > 0 ? ', ' : ''}
            <code>{visible(s.name)}</code>
            {` (${s.where === 'in-file' ? 'in the file, in plain text' : s.where === 'keychain' ? 'in the keychain' : 'from a helper command'})`}
          </span>
        ))}
      </span>,
    ]);
  if (facts.length === 0 && row.id === undefined) return null;
  return (
    <>
      {facts.length > 0 ? (
        <dl className="server-facts">
          {facts.map(([term, value]) => (
            <div className="server-fact" key={term}>
              <dt>{term}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      ) : null}
      {row.id !== undefined ? (
        <p className="server-ids">
          {'Server id '}
          <code>{visible(row.id)}</code>
          {row.identityHash !== undefined ? (
            <>
              {' · identity SHA-256 '}
              <code title={row.identityHash} data-testid="identity-hash">{`${shortHash(row.identityHash)}…`}</code>
            </>
          ) : null}
        </p>
      ) : null}
    </>
  );
}

function pinnedText(row: ServerRow): string {
  const i = row.identity!;
  if (i.pinned) return i.package !== undefined ? 'Yes: one exact version' : 'Yes: the file is hashed';
  if (i.package !== undefined) return 'No: it may run another version each time';
  if (i.transport !== 'stdio') return 'No: a remote server can change at any time';
  return 'No: what it runs is not hashed';
}
