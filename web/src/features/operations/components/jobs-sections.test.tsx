import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { browserWindowShim } from '../../../test-support/memory-storage';
import type { FailedJob, JobsOverview, ReconcileRun } from '../api/jobs';
import type * as BacklogModule from './backlog-summary';
import type * as QueueBoardApiModule from '../api/queue-board';
import type * as FailedJobsModule from './failed-jobs';
import type * as QueueBoardLinkModule from './queue-board-link';
import type * as ReconciliationModule from './reconciliation';

let BacklogSummary: typeof BacklogModule.BacklogSummary;
let FailedJobs: typeof FailedJobsModule.FailedJobs;
let Reconciliation: typeof ReconciliationModule.Reconciliation;
let QueueBoardLink: typeof QueueBoardLinkModule.QueueBoardLink;
let openQueueBoard: typeof QueueBoardApiModule.openQueueBoard;
beforeAll(async () => {
  // The sections' hooks import the API client, which reads the window's origin when loaded.
  vi.stubGlobal('window', browserWindowShim());
  ({ BacklogSummary } = await import('./backlog-summary'));
  ({ FailedJobs } = await import('./failed-jobs'));
  ({ Reconciliation } = await import('./reconciliation'));
  ({ QueueBoardLink } = await import('./queue-board-link'));
  ({ openQueueBoard } = await import('../api/queue-board'));
});

const render = (node: ReactNode) => renderToStaticMarkup(<QueryClientProvider client={new QueryClient()}>{node}</QueryClientProvider>);

const overview = (redisUp: boolean): JobsOverview => ({
  redisUp,
  queues: redisUp ? [{ name: 'certificates', waiting: 2, active: 1, delayed: 40, failed: 0, completed: 9 }] : null,
  outbox: { unpublished: 3, oldestUnpublishedAt: '2026-01-05T10:00:00Z', open: 4, failed: 1 },
  failedJobs: [],
  lastRuns: [],
});

const failedJob: FailedJob = {
  id: '6f1c2f1e-8a59-4f0e-9d43-0d1f6a3f2b11',
  jobName: 'issue-certificate',
  queue: 'certificates',
  runAt: '2026-01-05T09:00:00Z',
  failedAt: '2026-01-05T09:10:00Z',
  failures: 1,
  error: 'signing key unavailable',
  payloadIds: { credentialEventId: 'e-1' },
};

describe('jobs page sections', () => {
  it('says whether Redis is up in words, with the per-queue backlog in a captioned table only while it answers', () => {
    const up = render(<BacklogSummary overview={overview(true)} />);
    expect(up).toContain('Redis is up');
    expect(up).toContain('<caption>Backlog per queue</caption>');
    const down = render(<BacklogSummary overview={overview(false)} />);
    expect(down).toContain('Redis is down');
    expect(down).not.toContain('<table>');
    expect(down).toContain('not known while Redis is down');
  });

  it('names the job in each "Retry now" button and shows what the job is about', () => {
    const html = render(<FailedJobs jobs={[failedJob]} onRetried={() => undefined} />);
    expect(html).toMatch(/<button[^>]*>Retry now<span class="visually-hidden">: Issue certificate, failed [^<]+<\/span><\/button>/);
    expect(html).toContain('credential event <code>e-1</code>');
    expect(html).toContain('signing key unavailable');
  });

  it('says so when nothing failed and no pass has run', () => {
    expect(render(<FailedJobs jobs={[]} onRetried={() => undefined} />)).toContain('No job has failed.');
    const runs: ReconcileRun[] = [];
    expect(render(<Reconciliation runs={runs} onDone={() => undefined} />)).toContain('No pass has run yet');
  });

  it('lists a pass with who started it and what it found', () => {
    const run: ReconcileRun = {
      startedAt: '2026-01-05T10:00:00Z',
      finishedAt: '2026-01-05T10:00:02Z',
      trigger: 'start',
      redisReset: true,
      requeued: { 'certificates.passes': 3 },
      error: null,
    };
    const html = render(<Reconciliation runs={[run]} onDone={() => undefined} />);
    expect(html).toContain('Worker start');
    expect(html).toContain('Redis had lost its data; 3 certificates re-queued.');
    expect(html).toContain('>Reconcile now</button>');
  });
});

describe('the queue board button', () => {
  afterEach(() => vi.restoreAllMocks());
  /** The API's answers to the pass request, and which requests were sent. */
  const serve = (res: () => Response) => {
    const sent: string[] = [];
    vi.spyOn(globalThis, 'fetch').mockImplementation(async (input: RequestInfo | URL) => {
      const req = input as Request;
      sent.push(`${req.method} ${new URL(req.url).pathname}`);
      return res();
    });
    return sent;
  };

  it('is a section with a heading and an "Open the queue board" button that says what the board allows', () => {
    const html = render(<QueueBoardLink />);
    expect(html).toContain('<h2 id="queue-board-heading">Queue board</h2>');
    expect(html).toMatch(/<button type="button">Open the queue board<\/button>/);
    expect(html).toContain('retry failed jobs; nothing can be deleted');
  });

  it('asks for the pass, then loads /admin/queues in the window', async () => {
    const sent = serve(() => new Response(null, { status: 204 }));
    const go = vi.fn();
    await openQueueBoard(go);
    expect(sent).toEqual(['POST /api/admin/queues/session']);
    expect(go).toHaveBeenCalledWith('/admin/queues');
  });

  it('stays on the page with the reason when the pass is refused (step-up cancelled)', async () => {
    const body = { statusCode: 403, error: 'Forbidden', message: 'Confirm it is you', reason: 'step_up_required' };
    serve(() => new Response(JSON.stringify(body), { status: 403, headers: { 'Content-Type': 'application/json' } }));
    const go = vi.fn();
    await expect(openQueueBoard(go)).rejects.toMatchObject({ message: 'Confirm it is you', reason: 'step_up_required' });
    expect(go).not.toHaveBeenCalled();
  });
});
