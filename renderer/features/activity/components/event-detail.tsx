import type { ReactNode } from 'react';
import type { ActivityEventDetail } from '../../../../shared/activity.js';
import type { AuditEvent } from '../../../../shared/audit.js';
import { ANSWER_LABEL, DECISION_LABEL, decisionTone, formatTime, KIND_LABEL, OUTCOME_LABEL, outcomeTone } from '../lib/labels.js';
import { TermList } from '../../../components/term-list.js';

/** What the dialog shows of one event: who, what, the decision and the answer, the arguments, its place in the chain, and the stored JSON. */
export function EventDetail({ detail }: { detail: ActivityEventDetail }) {
  const e = detail.event;
  return (
    <div className="event-detail">
      <div className="event-column">
        <Facts
          title="What happened"
          facts={[
            ['Event', KIND_LABEL[e.kind]],
            ['Time', `${formatTime(Date.parse(e.time))} (${e.time})`],
            ['Tool', e.tool !== undefined ? <code>{e.tool}</code> : undefined],
            ['Server', serverWords(e)],
            [
              'Client',
              e.client ? [e.client.name, e.client.version].filter(Boolean).join(' ') + (e.client.pid !== undefined ? `, pid ${e.client.pid}` : '') : undefined,
            ],
            ['Working directory', e.client?.cwd !== undefined ? <code>{e.client.cwd}</code> : undefined],
            ['Outcome', e.outcome ? <Outcome outcome={e.outcome} /> : undefined],
            ['Time taken', e.latencyMs !== undefined ? duration(e.latencyMs) : undefined],
            ['Device, user', `${e.deviceId}, ${e.osUser}`],
          ]}
        />
        <section className="event-section">
          <h3>Arguments, as recorded</h3>
          {detail.argumentsOmittedBytes !== undefined ? (
            <p>{`The arguments are ${detail.argumentsOmittedBytes.toLocaleString()} bytes, too long to show here; export JSONL to read them.`}</p>
          ) : e.arguments === undefined ? (
            <p className="subtle">None recorded (the call had none, or policy drops them).</p>
          ) : (
            <pre className="event-json" role="region" tabIndex={0} aria-label="Arguments as JSON">
              {JSON.stringify(e.arguments, null, 2)}
            </pre>
          )}
          <p className="subtle">Values policy hashes show as sha256:…; secret-looking values as [secret].</p>
        </section>
        {e.detail ? (
          <section className="event-section">
            <h3>Details</h3>
            <pre className="event-json" role="region" tabIndex={0} aria-label="Details as JSON">
              {JSON.stringify(e.detail, null, 2)}
            </pre>
          </section>
        ) : null}
      </div>
      <div className="event-column">
        {e.decision ? (
          <Facts
            title="Policy decision"
            facts={[
              ['Decision', <span className={`tag ${decisionTone(e.decision.effect)}`}>{DECISION_LABEL[e.decision.effect]}</span>],
              ['Reason', e.decision.reason],
              ['Rule', `${e.decision.rule} (${e.decision.layer} policy)`],
              ['Monitor mode', e.decision.monitored !== undefined ? `would have been ${DECISION_LABEL[e.decision.monitored].toLowerCase()}` : undefined],
            ]}
          />
        ) : null}
        {e.approval ? (
          <Facts
            title="Answered in the prompt"
            facts={[
              ['Who answered', e.approval.approver === 'timeout' ? 'nobody (the prompt timed out)' : e.approval.approver],
              ['Answer', ANSWER_LABEL[e.approval.answer]],
              ['Until', e.approval.until !== undefined ? `${formatTime(Date.parse(e.approval.until))}` : undefined],
              ['For', e.approval.scope === 'exact-arguments' ? 'exactly these arguments' : e.approval.scope === 'any-arguments' ? 'any arguments' : undefined],
            ]}
          />
        ) : null}
        <Chain detail={detail} />
        <details className="event-section">
          <summary>The stored event (JSON)</summary>
          <pre className="event-json" role="region" tabIndex={0} aria-label="The stored event as JSON">
            {JSON.stringify(e, null, 2)}
          </pre>
        </details>
      </div>
    </div>
  );
}

function duration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms * 10) / 10} ms` : `${(ms / 1000).toFixed(2)} s`;
}

function Chain({ detail }: { detail: ActivityEventDetail }) {
  const { event, previous } = detail;
  const link = previous ? (
    previous.linked ? (
      <span className="tag tag-ok">Linked to event #{previous.seq.toLocaleString()}</span>
    ) : (
      <span className="tag tag-bad">Not linked: prev is not the hash of event #{previous.seq.toLocaleString()}</span>
    )
  ) : (
    'The oldest event the index holds'
  );
  return (
    <Facts
      title="Place in the hash chain"
      facts={[
        ['Position', `#${detail.seq.toLocaleString()} of ${detail.newest.toLocaleString()}, ${detail.position.file} line ${detail.position.line}`],
        ['Hash', <code className="hash">{event.hash}</code>],
        [
          'Matches its content',
          detail.hashValid ? <span className="tag tag-ok">Yes</span> : <span className="tag tag-bad">No: the stored event was edited</span>,
        ],
        ['Prev', <code className="hash">{event.prev}</code>],
        ['Previous event', link],
        ['Event id', <code>{event.id}</code>],
      ]}
    />
  );
}

function Outcome({ outcome }: { outcome: NonNullable<AuditEvent['outcome']> }) {
  const extra = [
    outcome.sizeBytes !== undefined ? `${outcome.sizeBytes.toLocaleString()} bytes` : undefined,
    outcome.code !== undefined ? `code ${outcome.code}` : undefined,
  ]
    .filter(Boolean)
    .join(', ');
  return (
    <>
      <span className={`tag ${outcomeTone(outcome.kind)}`}>{OUTCOME_LABEL[outcome.kind]}</span>
      {extra ? ` ${extra}` : null}
    </>
  );
}

function serverWords(e: AuditEvent): ReactNode {
  if (!e.server) return undefined;
  const from = e.server.package ?? e.server.url ?? e.server.command?.join(' ');
  return (
    <>
      {e.server.name}
      {from ? (
        <>
          {' '}
          <code>{from}</code>
        </>
      ) : null}
    </>
  );
}

function Facts({ title, facts }: { title: string; facts: ReadonlyArray<readonly [string, ReactNode]> }) {
  return (
    <section className="event-section">
      <h3>{title}</h3>
      <TermList terms={facts} />
    </section>
  );
}
