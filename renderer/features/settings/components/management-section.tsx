import type { SettingsView } from '../../../../shared/settings.js';
import { SettingSection } from './setting-section.js';

/** Whether IT manages this device (managed policy), and central sync. */
export function ManagementSection({ managed, sync }: { managed: SettingsView['managed']; sync: SettingsView['sync'] }) {
  return (
    <SettingSection id="management" title="Central management">
      {managed.state === 'not-managed' ? (
        <div data-testid="managed-state">
          <p>
            <span className="tag tag-ok">Not managed</span> No managed configuration on this device.
          </p>
          <p className="subtle">
            {'Checked: '}
            <code>{managed.checked}</code>
          </p>
        </div>
      ) : (
        <div data-testid="managed-state">
          <p>
            <span className="tag tag-locked">Managed</span> Your IT department&apos;s policy is in force; what it sets is locked here and on the Policy page.
          </p>
          <p className="subtle">
            {'From '}
            <code>{managed.file}</code>
          </p>
          {managed.problems.length > 0 ? (
            <ul className="field-error">
              {managed.problems.map((p) => (
                <li key={p}>{p}</li>
              ))}
            </ul>
          ) : null}
        </div>
      )}
      <p className="subtle" data-testid="sync-state">
        {`Sync: ${sync.state === 'not-configured' ? 'not set up' : sync.state}. A managed configuration that names a policy URL or a log collector turns it on.`}
      </p>
    </SettingSection>
  );
}
