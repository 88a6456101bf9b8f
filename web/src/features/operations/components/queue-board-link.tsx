import { Alert } from '../../../components/alert';
import { failureOf } from '../../../lib/api/errors';
import { useOpenQueueBoard } from '../api/queue-board';

/** "Open the queue board": Bull Board, for the jobs Redis holds now, where failed jobs can be retried one by one. */
export function QueueBoardLink() {
  const open = useOpenQueueBoard();
  // aria-disabled rather than disabled: the button keeps the focus while the pass is asked for.
  const run = () => {
    if (!open.isPending) open.mutate();
  };
  return (
    <section aria-labelledby="queue-board-heading">
      <h2 id="queue-board-heading">Queue board</h2>
      <p>
        The queue board (Bull Board) shows what each queue in Redis holds now: waiting, delayed, active, failed and completed jobs, with
        their data and errors. There you can retry failed jobs; nothing can be deleted, paused or edited, because the database keeps the
        record of every job. Opening it asks you to confirm it is you, and it stays open for the next few minutes.
      </p>
      {open.error && <Alert>{failureOf(open.error).message}</Alert>}
      <div className="actions">
        <button type="button" aria-disabled={open.isPending || undefined} onClick={run}>
          {open.isPending ? 'Opening the queue board…' : 'Open the queue board'}
        </button>
      </div>
    </section>
  );
}
