import { Notification } from 'electron';
import type { GuardStatus, Prompt } from '../../shared/approvals.js';
import { policyNotice, promptNotice, type Notice } from './notice-text.js';

export interface GuardNotificationsOptions {
  /** Whether a window of ours has focus: then the prompt is in front of the user already. */
  readonly isAppFocused: () => boolean;
  /** A click on a prompt notification (focus the prompt window). */
  readonly onPromptClick: () => void;
  /** A click on a policy notification (show the main window, whose status line explains). */
  readonly onPolicyClick: () => void;
}

/**
 * System notifications: a prompt arrived while no window of ours has focus, or a policy file
 * stopped validating. The text comes from notice-text.ts, which never reads a call's arguments
 * (notifications stay in the OS's notification centre, where anyone at the screen can read them).
 */
export class GuardNotifications {
  /** Prompts pending at the last update: a prompt is announced once, when it first appears. */
  private pending = new Set<string>();
  private problems = new Set<string>();
  /** Shown notifications and the prompts each announced; kept referenced so their click handlers survive GC. */
  private readonly shown = new Map<Notification, ReadonlySet<string>>();

  constructor(private readonly options: GuardNotificationsOptions) {}

  /** The pending list changed. */
  prompts(prompts: readonly Prompt[]): void {
    const arrived = prompts.filter((p) => !this.pending.has(p.id));
    this.pending = new Set(prompts.map((p) => p.id));
    this.closeSettled();
    if (arrived.length === 0 || this.options.isAppFocused()) return;
    this.show(promptNotice(arrived), new Set(arrived.map((p) => p.id)), this.options.onPromptClick);
  }

  /** The status changed: announce policy problems that were not there before. */
  status(status: GuardStatus): void {
    const current = status.policy.problems;
    const appeared = current.filter((problem) => !this.problems.has(problem));
    this.problems = new Set(current);
    if (appeared.length > 0) this.show(policyNotice(appeared), new Set(), this.options.onPolicyClick);
  }

  dispose(): void {
    for (const notification of [...this.shown.keys()]) notification.close();
    this.shown.clear();
  }

  private show(notice: Notice, prompts: ReadonlySet<string>, onClick: () => void): void {
    if (!Notification.isSupported()) return;
    const notification = new Notification({ title: notice.title, body: notice.body });
    notification.on('click', () => onClick());
    notification.on('close', () => this.shown.delete(notification));
    this.shown.set(notification, prompts);
    notification.show();
  }

  /** A notification about prompts that have all been answered (or timed out) would send the user to nothing. */
  private closeSettled(): void {
    for (const [notification, ids] of this.shown) {
      if (ids.size === 0 || [...ids].some((id) => this.pending.has(id))) continue;
      this.shown.delete(notification);
      notification.close();
    }
  }
}
