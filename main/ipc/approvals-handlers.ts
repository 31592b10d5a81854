import type { AnswerResult, GuardStatus, Prompt, PromptAnswer, ToolChangeAnswer } from '../../shared/approvals.js';
import type { IpcHandler } from './handle.js';

/** What the approvals channels need from the service: main/service/approval-desk.ts `ApprovalDesk`. */
export interface ApprovalDeskPort {
  list(): Prompt[];
  shown(id: string, revision: string): void;
  interacting(id: string, interacting: boolean): void;
  answer(id: string, revision: string, answer: PromptAnswer): AnswerResult;
  review(id: string, revision: string, answer: ToolChangeAnswer): AnswerResult;
  approveServer(serverId: string, identityHash: string): AnswerResult;
}

type ApprovalChannels = 'approvals:list' | 'approvals:shown' | 'approvals:interacting' | 'approvals:answer' | 'approvals:review' | 'servers:approve';

/** Handlers of the `approvals:*` channels (and `servers:approve`, which the prompt offers for a new server). */
export function approvalsHandlers(desk: ApprovalDeskPort): { readonly [C in ApprovalChannels]: IpcHandler<C> } {
  return {
    'approvals:list': () => desk.list(),
    'approvals:shown': (id, revision) => desk.shown(id, revision),
    'approvals:interacting': (id, on) => desk.interacting(id, on),
    'approvals:answer': (id, revision, answer) => desk.answer(id, revision, answer),
    'approvals:review': (id, revision, answer) => desk.review(id, revision, answer),
    'servers:approve': (serverId, identityHash) => desk.approveServer(serverId, identityHash),
  };
}

/** Handlers of the `status:*` channels. */
export function statusHandlers(status: () => GuardStatus): { readonly 'status:get': IpcHandler<'status:get'> } {
  return { 'status:get': () => status() };
}
