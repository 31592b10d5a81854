import type { ReactNode } from 'react';
import type { CallPrompt } from '../../../../shared/approvals.js';
import { agentLabel, serverHintLabel } from '../lib/labels.js';
import { jsonString, shortHash, visible } from '../lib/visible-text.js';
import { FactList } from './fact-list.js';

/** Who asks: the agent, its project directory and process. */
export function AgentFacts({ agent }: { agent: CallPrompt['agent'] }) {
  const facts: Array<readonly [string, ReactNode]> = [['Agent', visible(agentLabel(agent))]];
  facts.push(['Project', agent.cwd === undefined ? 'unknown' : <code>{visible(agent.cwd)}</code>]);
  if (agent.pid !== undefined) facts.push(['Process', `pid ${agent.pid}`]);
  return <FactList title="Agent" facts={facts} />;
}

/** Which server would run the call, where it comes from, and what is unusual about it. */
export function ServerFacts({ server }: { server: CallPrompt['server'] }) {
  const facts: Array<readonly [string, ReactNode]> = [['Name', visible(server.name)]];
  if (server.id !== undefined) facts.push(['ID', <code key="id">{visible(server.id)}</code>]);
  if (server.package !== undefined) {
    const pkg = server.version === undefined ? server.package : `${server.package}@${server.version}`;
    facts.push(['Package', <code key="pkg">{visible(pkg)}</code>]);
  }
  if (server.pinned !== undefined) facts.push(['Version', server.pinned ? 'pinned' : 'unpinned (may change at any launch)']);
  if (server.command !== undefined) facts.push(['Command', <code key="cmd">{commandLine(server.command)}</code>]);
  if (server.url !== undefined) facts.push(['URL', <code key="url">{visible(server.url)}</code>]);
  if (server.file !== undefined) facts.push(['File', <code key="file">{visible(server.file)}</code>]);
  if (server.fileSha256 !== undefined)
    facts.push([
      'SHA-256',
      <code key="sha" title={server.fileSha256}>
        {shortHash(server.fileSha256)}…
      </code>,
    ]);
  return (
    <FactList title="Server" facts={facts}>
      {server.hints.length > 0 && (
        <ul className="badges" aria-label="About this server">
          {server.hints.map((hint, i) => (
            <li className="badge badge-warning" key={`${hint.kind}:${i}`}>
              <span className="badge-label">{serverHintLabel[hint.kind]}</span> <span className="badge-detail">{visible(hint.detail)}</span>
            </li>
          ))}
        </ul>
      )}
    </FactList>
  );
}

/** The command as one line; an argument with spaces or quotes is shown quoted, so word breaks are exact. */
function commandLine(command: readonly string[]): string {
  return command.map((arg) => (arg === '' || /[\s"'\\]/.test(arg) ? jsonString(arg) : visible(arg))).join(' ');
}
