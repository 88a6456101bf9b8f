import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, unwrap } from '../../../../lib/api/client';
import type { components } from '../../../../lib/api/schema';

export const pipelineKeys = {
  board: ['admin', 'board'] as const,
  appeals: ['admin', 'appeals'] as const,
  submission: (id: string) => ['admin', 'submission', id] as const,
};

/** A submission with both reviews side by side (the adjudicator's view). */
export const useAdjudication = (id: string) =>
  useQuery({
    queryKey: pipelineKeys.submission(id),
    queryFn: async () => unwrap(await api.GET('/api/admin/submissions/{id}', { params: { path: { id } } })),
  });

export const getBoard = async () => unwrap(await api.GET('/api/admin/submissions'));
export const useBoard = () => useQuery({ queryKey: pipelineKeys.board, queryFn: getBoard });

export const decide = async (id: string, outcome: 'pass' | 'revise' | 'fail', reason: string) =>
  unwrap(await api.POST('/api/admin/submissions/{id}/decision', { params: { path: { id } }, body: { outcome, reason } }));

export const withdraw = async (assignmentId: string, reason: string) =>
  unwrap(
    await api.POST('/api/admin/submissions/assignments/{assignmentId}/withdraw', { params: { path: { assignmentId } }, body: { reason } }),
  );

export const getAppeals = async () => unwrap(await api.GET('/api/admin/appeals'));
export type Appeal = components['schemas']['AppealSummaryDto'];
export const useAppeals = () => useQuery({ queryKey: pipelineKeys.appeals, queryFn: getAppeals });

export const decideAppeal = async (id: string, upheld: boolean, note: string, newOutcome?: 'pass' | 'revise' | 'fail') =>
  unwrap(await api.POST('/api/admin/appeals/{id}/outcome', { params: { path: { id } }, body: { upheld, note, newOutcome } }));

type Outcome = 'pass' | 'revise' | 'fail';

/** What an administrator does on the pipeline board; each is audited with its reason. */
export type PipelineAction =
  | { kind: 'decide'; submissionId: string; outcome: Outcome; reason: string }
  | { kind: 'reassign'; assignmentId: string; reason: string }
  | { kind: 'appeal'; appealId: string; upheld: boolean; note: string; newOutcome?: Outcome };

function perform(action: PipelineAction): Promise<unknown> {
  switch (action.kind) {
    case 'decide':
      return decide(action.submissionId, action.outcome, action.reason);
    case 'reassign':
      return withdraw(action.assignmentId, action.reason);
    case 'appeal':
      return decideAppeal(action.appealId, action.upheld, action.note, action.newOutcome);
  }
}

/** The board and the appeals are refetched after every action, refused ones included (someone else may have acted first). */
export function usePipelineAction() {
  const qc = useQueryClient();
  return useMutation({
    mutationFn: perform,
    onSettled: () =>
      Promise.all([
        qc.invalidateQueries({ queryKey: pipelineKeys.board }),
        qc.invalidateQueries({ queryKey: pipelineKeys.appeals }),
        qc.invalidateQueries({ queryKey: ['admin', 'submission'] }),
      ]),
  });
}
