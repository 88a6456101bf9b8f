import { api } from '../../../lib/api/client';

export interface AnswerSave {
  questionId: string;
  optionId: string | null;
  flagged: boolean;
  clientSeq: number;
}

export type SaveOutcome = 'saved' | 'offline' | 'closed' | 'rejected' | 'throttled';

/** One PUT; maps the answer onto what the queue should do next. */
export async function saveAnswer(attemptId: string, save: AnswerSave): Promise<SaveOutcome> {
  try {
    const { response } = await api.PUT('/api/exams/aida/attempts/{attemptId}/answers/{questionId}', {
      params: { path: { attemptId, questionId: save.questionId } },
      body: { optionId: save.optionId, flagged: save.flagged, clientSeq: save.clientSeq },
    });
    if (response.ok) return 'saved';
    if (response.status === 409) return 'closed';
    if (response.status === 429) return 'throttled';
    if (response.status >= 500) return 'offline';
    return 'rejected';
  } catch {
    return 'offline';
  }
}
