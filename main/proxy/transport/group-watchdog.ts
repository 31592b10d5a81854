/**
 * Ends a server's process group if the proxy dies without ending it itself (a crash, SIGKILL, the
 * OOM killer): a small shell in a process group of its own waits on a pipe whose write end only
 * the proxy holds, which the kernel closes however the proxy ends. A proxy that ended the group
 * itself says "done" first. Not on Windows, which has no process groups (a job object would be
 * the tool there).
 */
import { spawn } from 'node:child_process';

export type GroupWatchdog = { release(): void };

const NOTHING: GroupWatchdog = { release: () => undefined };

export function watchGroup(pgid: number): GroupWatchdog {
  if (process.platform === 'win32' || !Number.isSafeInteger(pgid) || pgid <= 1) return NOTHING;
  const group = `-${pgid}`;
  const script = `read said; [ "$said" = done ] && exit 0; kill -s TERM -- ${group} 2>/dev/null; sleep 1; kill -s KILL -- ${group} 2>/dev/null; exit 0`;
  let watchdog;
  try {
    // Its own group, so a signal to the proxy's group does not end it first; none of the client's descriptors.
    watchdog = spawn('/bin/sh', ['-c', script], { stdio: ['pipe', 'ignore', 'ignore'], detached: true });
  } catch {
    return NOTHING;
  }
  watchdog.on('error', () => undefined);
  watchdog.stdin.on('error', () => undefined);
  watchdog.unref();
  (watchdog.stdin as unknown as { unref?: () => void }).unref?.();
  return { release: () => watchdog.stdin.end('done\n') };
}
