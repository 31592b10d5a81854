import { describe, expect, it } from 'vitest';
import { browserCommand } from '../../../main/proxy/transport/browser.js';

const URL_WITH_QUERY = 'https://auth.example/authorize?a=1&b=%20&state=x';

describe('the browser a sign-in opens', () => {
  it("is the platform's opener, the URL one argument untouched by any shell", () => {
    expect(browserCommand(URL_WITH_QUERY, {}, 'linux')).toEqual(['xdg-open', URL_WITH_QUERY]);
    expect(browserCommand(URL_WITH_QUERY, {}, 'darwin')).toEqual(['open', URL_WITH_QUERY]);
    expect(browserCommand(URL_WITH_QUERY, {}, 'win32')).toEqual(['rundll32.exe', 'url.dll,FileProtocolHandler', URL_WITH_QUERY]);
  });

  it('is MCP_GUARD_BROWSER when set, quoted words kept whole, the URL last', () => {
    const env = { MCP_GUARD_BROWSER: `"/Applications/My Browser.app/run" --new-window 'two words'` };
    expect(browserCommand(URL_WITH_QUERY, env, 'darwin')).toEqual(['/Applications/My Browser.app/run', '--new-window', 'two words', URL_WITH_QUERY]);
    expect(browserCommand(URL_WITH_QUERY, { MCP_GUARD_BROWSER: '  ' }, 'linux')).toEqual(['xdg-open', URL_WITH_QUERY]);
  });
});
