/**
 * A credential helper's command as the Secrets page may show it: the command and its arguments,
 * except those shaped like a credential (`--token=ghp_…`, a `Bearer …` value, the argument after
 * `--password`), which read "[secret]". The helper's output is the secret; an argument can be one
 * too, and nothing secret-shaped is sent to the renderer.
 */
import { secretLikeName, secretLikeValue } from '../common/credential-patterns.js';

export const MASKED_ARGUMENT = '[secret]';

export function maskedHelperCommand(command: readonly string[]): { command: string[]; masked: number } {
  let masked = 0;
  const out = command.map((arg, i) => {
    const previous = i > 0 ? command[i - 1]! : '';
    const flag = /^-{1,2}([A-Za-z][\w.-]*)=(.*)$/s.exec(arg);
    if (flag && flag[2] !== '' && (secretLikeName(flag[1]!) || secretLikeValue(flag[2]!))) {
      masked++;
      return `${arg.slice(0, arg.indexOf('=') + 1)}${MASKED_ARGUMENT}`;
    }
    const afterSecretFlag = i > 0 && /^-{1,2}[A-Za-z][\w.-]*$/.test(previous) && secretLikeName(previous.replace(/^-+/, ''));
    if (secretLikeValue(arg) || afterSecretFlag) {
      masked++;
      return MASKED_ARGUMENT;
    }
    return arg;
  });
  return { command: out, masked };
}
