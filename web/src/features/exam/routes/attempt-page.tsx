import { useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore } from 'react';
import { Navigate, useNavigate, useParams, useSearchParams } from 'react-router';
import { Alert } from '../../../components/alert';
import { Page } from '../../../components/page';
import { type AttemptQuestion, EXAM_KEY } from '../api/exam';
import { attemptKey, getAttempt, submitAttempt, type TimedAttempt, useAttempt } from '../api/attempt';
import { saveAnswer } from '../api/save-answer';
import { Countdown } from '../components/countdown';
import { SaveStatus } from '../components/save-status';
import { SaveQueue } from '../lib/save-queue';
import { ServerClock } from '../lib/server-clock';

interface AnswerState {
  optionId: string | null;
  flagged: boolean;
}

export function AttemptPage() {
  const { attemptId = '' } = useParams();
  const attempt = useAttempt(attemptId);
  if (attempt.error) {
    return (
      <Page title="AIDA examination">
        <Alert>{attempt.error.message}</Alert>
      </Page>
    );
  }
  if (!attempt.data) return <p role="status">Loading your attempt…</p>;
  if (attempt.data.status !== 'in_progress') return <Navigate to={`/candidate/aida/attempts/${attemptId}/result`} replace />;
  return <ExamSession attempt={attempt.data} />;
}

function ExamSession({ attempt }: { attempt: TimedAttempt }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [params, setParams] = useSearchParams();
  const reviewing = params.has('review');
  const position = Math.min(Math.max(Number(params.get('q') ?? 1), 1), attempt.questions.length);
  const question = attempt.questions[position - 1];

  // Every reading of the attempt (first load, reconnect, tab shown again, time-up check) is a clock sample.
  const clock = useMemo(() => new ServerClock(), []);
  clock.add(attempt.clockSample);

  const queue = useMemo(() => new SaveQueue(attempt.id, (s) => saveAnswer(attempt.id, s)), [attempt.id]);
  const snapshot = useSyncExternalStore(
    (l) => queue.subscribe(l),
    () => `${queue.pending().length}|${queue.busy}|${queue.offline}|${queue.closed}`,
  );
  const [pendingCount, busy, offline, closed] = snapshot.split('|');

  // Server answers, overlaid with any change still waiting in this browser's queue. The ref is the
  // source of truth for changes, so two quick changes never build on a stale render.
  const answersRef = useRef<Map<string, AnswerState> | null>(null);
  if (!answersRef.current) {
    const map = new Map(attempt.answers.map((a) => [a.questionId, { optionId: a.optionId ?? null, flagged: a.flagged }]));
    for (const p of queue.pending()) map.set(p.questionId, { optionId: p.optionId, flagged: p.flagged });
    answersRef.current = map;
  }
  const [answers, setAnswers] = useState(answersRef.current);

  const toResult = useCallback(
    (closedAttempt: TimedAttempt) => {
      queue.clear();
      queryClient.setQueryData(attemptKey(attempt.id), closedAttempt);
      void queryClient.invalidateQueries({ queryKey: EXAM_KEY, exact: false });
      void navigate(`/candidate/aida/attempts/${attempt.id}/result`, { replace: true });
    },
    [attempt.id, navigate, queue, queryClient],
  );

  // The countdown reached zero, or a save was refused as too late: send what is queued, then ask the
  // server, which closes the attempt only if its own deadline has passed. Otherwise its answer is a
  // fresh clock sample and the countdown resumes with the time really left.
  const [checking, setChecking] = useState(false);
  const checkingRef = useRef(false);
  const checkWithServer = useCallback(async () => {
    if (checkingRef.current) return;
    checkingRef.current = true;
    setChecking(true);
    try {
      await queue.flush();
      const fresh = await queryClient.fetchQuery({ queryKey: attemptKey(attempt.id), queryFn: () => getAttempt(attempt.id), staleTime: 0 });
      if (fresh.status !== 'in_progress') toResult(fresh);
    } catch {
      // Offline: the countdown asks again shortly; the server closes the attempt at its deadline regardless.
    } finally {
      checkingRef.current = false;
      setChecking(false);
    }
  }, [attempt.id, queue, queryClient, toResult]);

  // Submitting is the candidate's deliberate, confirmed act (the review page's "Yes, submit").
  // It waits until every queued answer is saved: closing the attempt first would lose the rest.
  const submitting = useRef(false);
  const [submitError, setSubmitError] = useState<string | null>(null);
  const submit = useCallback(async () => {
    if (submitting.current) return;
    submitting.current = true;
    setSubmitError(null);
    try {
      if (!(await queue.drain()) && !queue.closed) {
        setSubmitError(
          'Your latest answers are not saved yet, so the examination was not submitted. They are kept on this device: ' +
            'check your connection, then choose "Yes, submit" again.',
        );
        return;
      }
      const result = await submitAttempt(attempt.id).catch(() => null);
      if (result) toResult(result);
      else setSubmitError('The examination could not be submitted. Check your connection, then choose "Yes, submit" again.');
    } finally {
      submitting.current = false;
    }
  }, [attempt.id, queue, toResult]);

  useEffect(() => {
    void queue.flush();
    const online = () => void queue.flush();
    window.addEventListener('online', online);
    const retry = window.setInterval(() => queue.pending().length && void queue.flush(), 5_000);
    return () => {
      window.removeEventListener('online', online);
      window.clearInterval(retry);
    };
  }, [queue]);

  useEffect(() => {
    if (closed === 'true') void checkWithServer();
  }, [closed, checkWithServer]);

  const update = (questionId: string, change: Partial<AnswerState>) => {
    const current = answersRef.current!.get(questionId) ?? { optionId: null, flagged: false };
    const next = { ...current, ...change };
    answersRef.current = new Map(answersRef.current!).set(questionId, next);
    setAnswers(answersRef.current);
    queue.enqueue(questionId, next.optionId, next.flagged);
  };

  const go = (to: number | 'review') => {
    const next = new URLSearchParams();
    if (to === 'review') next.set('review', '1');
    else next.set('q', String(to));
    setParams(next);
  };

  return (
    <div className="exam">
      <div className="exam-bar">
        <Countdown deadline={attempt.deadline} clock={clock} onZero={() => void checkWithServer()} checking={checking} />
        <SaveStatus pending={Number(pendingCount)} busy={busy === 'true'} offline={offline === 'true'} />
      </div>
      {reviewing ? (
        <Review attempt={attempt} answers={answers} onOpen={go} onSubmit={() => void submit()} error={submitError} />
      ) : (
        <Page title={`Question ${position} of ${attempt.questions.length}`}>
          <QuestionView
            key={question.id}
            question={question}
            answer={answers.get(question.id)}
            onChoose={(optionId) => update(question.id, { optionId })}
          />
          <div className="exam-actions">
            <button type="button" className="button-secondary" onClick={() => go(position - 1)} disabled={position === 1}>
              Previous
            </button>
            <button
              type="button"
              className="button-secondary"
              aria-pressed={answers.get(question.id)?.flagged ?? false}
              onClick={() => update(question.id, { flagged: !(answers.get(question.id)?.flagged ?? false) })}
            >
              {answers.get(question.id)?.flagged ? 'Unflag' : 'Flag for review'}
            </button>
            {position < attempt.questions.length ? (
              <button type="button" onClick={() => go(position + 1)}>
                Next
              </button>
            ) : (
              <button type="button" onClick={() => go('review')}>
                Review answers
              </button>
            )}
          </div>
          <Navigator attempt={attempt} answers={answers} current={position} onOpen={go} />
          <p>
            <button type="button" className="button-secondary" onClick={() => go('review')}>
              Review and submit
            </button>
          </p>
        </Page>
      )}
    </div>
  );
}

function QuestionView({
  question,
  answer,
  onChoose,
}: {
  question: AttemptQuestion;
  answer: AnswerState | undefined;
  onChoose: (optionId: string) => void;
}) {
  return (
    <fieldset className="question">
      <legend>
        <span className="domain-tag">
          {question.domain.code} {question.domain.title}
        </span>
        <span className="stem">{question.stem}</span>
      </legend>
      {question.options.map((option, i) => {
        const id = `option-${option.id}`;
        return (
          <div className="option" key={option.id}>
            <input
              type="radio"
              id={id}
              name={`question-${question.id}`}
              value={option.id}
              checked={answer?.optionId === option.id}
              onChange={() => onChoose(option.id)}
            />
            <label htmlFor={id}>
              <span className="option-letter" aria-hidden="true">
                {'ABCD'[i]}
              </span>
              {option.text}
            </label>
          </div>
        );
      })}
    </fieldset>
  );
}

function stateOf(answer: AnswerState | undefined): string {
  const parts = [answer?.optionId ? 'answered' : 'unanswered'];
  if (answer?.flagged) parts.push('flagged');
  return parts.join(', ');
}

function Navigator({
  attempt,
  answers,
  current,
  onOpen,
}: {
  attempt: TimedAttempt;
  answers: Map<string, AnswerState>;
  current: number;
  onOpen: (position: number) => void;
}) {
  return (
    <nav aria-label="Questions" className="navigator">
      <ol>
        {attempt.questions.map((q) => {
          const a = answers.get(q.id);
          return (
            <li key={q.id}>
              <button
                type="button"
                className={`nav-item${a?.optionId ? ' answered' : ''}${a?.flagged ? ' flagged' : ''}`}
                aria-current={q.position === current ? 'step' : undefined}
                aria-label={`Question ${q.position}, ${stateOf(a)}`}
                onClick={() => onOpen(q.position)}
              >
                {q.position}
                {a?.flagged && <span aria-hidden="true">⚑</span>}
              </button>
            </li>
          );
        })}
      </ol>
      <p className="hint">Filled: answered. ⚑: flagged for review.</p>
    </nav>
  );
}

function Review({
  attempt,
  answers,
  onOpen,
  onSubmit,
  error,
}: {
  attempt: TimedAttempt;
  answers: Map<string, AnswerState>;
  onOpen: (position: number) => void;
  onSubmit: () => void;
  error: string | null;
}) {
  const unanswered = attempt.questions.filter((q) => !answers.get(q.id)?.optionId);
  const flagged = attempt.questions.filter((q) => answers.get(q.id)?.flagged);
  const [confirming, setConfirming] = useState(false);
  const list = (questions: AttemptQuestion[]) => (
    <ul className="review-list">
      {questions.map((q) => (
        <li key={q.id}>
          <button type="button" className="link-button" onClick={() => onOpen(q.position)}>
            Question {q.position} ({q.domain.title})
          </button>
        </li>
      ))}
    </ul>
  );
  return (
    <Page title="Review your answers">
      <p>
        You have answered {attempt.questions.length - unanswered.length} of {attempt.questions.length} questions.
      </p>
      <h2>Unanswered ({unanswered.length})</h2>
      {unanswered.length ? list(unanswered) : <p>None.</p>}
      <h2>Flagged for review ({flagged.length})</h2>
      {flagged.length ? list(flagged) : <p>None.</p>}
      <div className="exam-actions">
        <button type="button" className="button-secondary" onClick={() => onOpen(1)}>
          Back to the questions
        </button>
        {!confirming ? (
          <button type="button" onClick={() => setConfirming(true)}>
            Submit the examination
          </button>
        ) : (
          <div role="group" aria-labelledby="confirm-submit">
            <p id="confirm-submit">
              <strong>Submit now?</strong> You cannot change your answers afterwards.
            </p>
            {error && <Alert>{error}</Alert>}
            <button type="button" onClick={onSubmit}>
              Yes, submit
            </button>{' '}
            <button type="button" className="button-secondary" onClick={() => setConfirming(false)}>
              Not yet
            </button>
          </div>
        )}
      </div>
    </Page>
  );
}
