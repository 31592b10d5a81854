import { Page } from '../../../components/page.js';
import { ErrorState, LoadingState } from '../../../components/page-states.js';
import { usePolicyView } from '../hooks/use-policy-view.js';
import { ExplainSection } from './explain-section.js';
import { FileSection } from './file-section.js';
import { GrantsSection } from './grants-section.js';
import { ImportSection } from './import-section.js';
import { DefaultsTable, PolicyLayers } from './policy-layers.js';
import { RulesSection } from './rules-section.js';
import './policy-page.css';

const SECTIONS = [
  { id: 'policy-rules', label: 'Rules' },
  { id: 'policy-grants', label: 'Grants' },
  { id: 'policy-defaults', label: 'Files and defaults' },
  { id: 'policy-explain', label: 'Explain a call' },
  { id: 'policy-import', label: 'Import from Claude Code' },
  { id: 'policy-file', label: 'Edit the whole file' },
];

/**
 * The Policy page: the effective policy with the source of every rule and default (managed ones
 * locked), your rules' editor, the grants in force with revoke, "explain", and the Claude Code
 * import. Every change goes through a channel whose handler checks it; this page decides nothing.
 */
export function PolicyPage() {
  const view = usePolicyView();
  return (
    <Page
      title="Policy"
      testId="policy-page"
      intro="What decides each tool call — your organisation's managed policy (locked), your own rules, the defaults — and the grants your answers made."
    >
      <nav aria-label="Policy sections" className="policy-jump">
        <ul>
          {SECTIONS.map((s) => (
            <li key={s.id}>
              <a
                href="#/policy"
                onClick={(e) => {
                  e.preventDefault();
                  jumpTo(s.id);
                }}
              >
                {s.label}
              </a>
            </li>
          ))}
        </ul>
      </nav>
      {view.state === 'loading' ? <LoadingState what="Loading the policy in force…" /> : null}
      {view.state === 'error' ? <ErrorState what="The policy did not load" error={view.error} retry={view.reload} /> : null}
      {view.state === 'ready' ? <RulesSection view={view.value} reload={view.reload} /> : null}
      <GrantsSection />
      {view.state === 'ready' ? (
        <section className="policy-section" aria-labelledby="policy-defaults-title" id="policy-defaults">
          <h3 id="policy-defaults-title">Files and defaults</h3>
          <PolicyLayers view={view.value} />
          <p className="subtle">
            The defaults decide where no rule does. The strictest value any layer sets wins; the prompt timeout is your organisation&apos;s to set when it does.
          </p>
          <DefaultsTable view={view.value} />
        </section>
      ) : null}
      <ExplainSection />
      <ImportSection onImported={view.reload} />
      {view.state === 'ready' ? (
        <FileSection
          broken={view.value.problems.some((p) => p.file === view.value.layers.find((l) => l.source === 'user')?.file)}
          revision={view.value.revision}
          onSaved={view.reload}
        />
      ) : null}
    </Page>
  );
}

/** Scrolls to a section and moves the keyboard focus to its heading, so Tab continues from there. */
function jumpTo(sectionId: string): void {
  const heading = document.querySelector<HTMLElement>(`#${sectionId} h3`);
  if (!heading) return;
  heading.tabIndex = -1;
  heading.scrollIntoView({ block: 'start' });
  heading.focus({ preventScroll: true });
}
