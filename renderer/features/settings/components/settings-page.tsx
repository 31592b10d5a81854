import './settings.css';
import { useConnectionState } from '../../../bridge/guard-context.js';
import { Page } from '../../../components/page.js';
import { ErrorState, LoadingState } from '../../../components/page-states.js';
import { useSettings } from '../hooks/use-settings.js';
import { DataDirectorySection } from './data-directory-section.js';
import { DriftSection } from './drift-section.js';
import { ManagementSection } from './management-section.js';
import { PromptTimeoutSection } from './prompt-timeout-section.js';
import { StartAtLoginSection } from './start-at-login-section.js';

/** The Settings page: each setting with where its value comes from; what managed policy sets is locked. */
export function SettingsPage() {
  const connection = useConnectionState();
  return (
    <Page title="Settings" testId="settings-page" intro="How MCP Guard behaves on this device. What your IT department's managed policy sets is shown locked.">
      {connection.kind === 'open' ? (
        <SettingsContent />
      ) : connection.kind === 'closed' ? (
        <ErrorState what="Can't reach the MCP Guard service" error={`${connection.reason}; is mcp-guard serve --ui still running`} />
      ) : (
        <LoadingState what="Connecting to the MCP Guard service…" />
      )}
    </Page>
  );
}

function SettingsContent() {
  const { settings, change } = useSettings();
  if (settings.state === 'loading') return <LoadingState what="Loading the settings…" />;
  if (settings.state === 'error') return <ErrorState what="The settings did not load" error={settings.error} retry={settings.reload} />;
  const s = settings.value;
  return (
    <>
      {s.problems.length > 0 ? (
        <div role="alert" className="banner" data-testid="settings-problems">
          <p className="banner-title">
            The settings file does not read: start at login and drift show their defaults, and changing them is refused until it is fixed
          </p>
          <ul>
            {s.problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="settings-grid">
        <PromptTimeoutSection timeout={s.promptTimeout} change={change} />
        <DriftSection drift={s.drift} change={change} settingsBroken={s.problems.length > 0} />
        <StartAtLoginSection startAtLogin={s.startAtLogin} change={change} />
        <DataDirectorySection dir={s.dataDirectory} />
        <ManagementSection managed={s.managed} />
      </div>
    </>
  );
}
