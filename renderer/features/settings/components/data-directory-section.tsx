import type { SettingsView } from '../../../../shared/settings.js';
import { SettingSection } from './setting-section.js';

/** Where the guard keeps its files; read-only here, with how to move it. */
export function DataDirectorySection({ dir }: { dir: SettingsView['dataDirectory'] }) {
  return (
    <SettingSection id="data-directory" title="Data directory">
      <p>
        <code data-testid="data-directory-path">{dir.path}</code>
      </p>
      <p className="subtle">
        {dir.fromVariable ? 'Set by the MCP_GUARD_HOME environment variable. ' : 'The default place on this OS. '}
        Policy, grants, pins, the server registry and the audit log live here (secret values do not: they are in the OS keychain).
      </p>
      <p className="subtle">
        {'To move it: quit MCP Guard, move the folder, and set '}
        <code>MCP_GUARD_HOME</code>
        {' to its new path wherever MCP Guard and your MCP clients start (their wrapped servers read it too).'}
      </p>
    </SettingSection>
  );
}
