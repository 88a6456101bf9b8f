import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import type { ControllerHandlerReturnType } from '@bull-board/api/typings/app';
import { ExpressAdapter } from '@bull-board/express';
import { HttpException, Logger } from '@nestjs/common';
import { type NextFunction, type Request, type RequestHandler, type Response, Router } from 'express';
import { isInfrastructureFailure, RETRY_AFTER_SECONDS } from '../../common/errors/infrastructure-failure';
import { QueueName } from '../../infrastructure/queue/job-names';
import type { QueueRegistry } from '../../infrastructure/queue/queue-registry';
import { QUEUE_BOARD_COOKIE, QUEUE_BOARD_PATH } from './queue-board-pass';
import type { QueueBoardService } from './queue-board.service';

/** Where a refused visitor is sent: the Jobs page asks for a pass (with step-up) and comes back. */
const JOBS_PAGE = '/admin/jobs';

// The board's two retry routes (its own paths, under QUEUE_BOARD_PATH); every other change it offers is refused.
const RETRY_ALL = /^\/api\/queues\/([^/]+)\/retry\/([^/]+)$/;
const RETRY_ONE = /^\/api\/queues\/([^/]+)\/([^/]+)\/retry$/;

const logger = new Logger('QueueBoard');
const REDIS_DOWN = 'Redis or the database is not answering: try again in a few seconds.';
// The board's types list only the statuses it answers itself; Express sends any.
const SERVICE_UNAVAILABLE = 503 as ControllerHandlerReturnType['status'];
// Typed apart: the adapter takes allowCompletedRetries (the UI then offers no retry of a job that completed) but does not declare it.
const ADAPTER_OPTIONS: ConstructorParameters<typeof BullMQAdapter>[1] & { allowCompletedRetries: boolean } = {
  allowCompletedRetries: false,
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function refusalPage(status: number, message: string): string {
  return (
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">' +
    '<title>Queue board: not open</title></head><body><main><h1>Queue board</h1>' +
    `<p>${escapeHtml(message)}</p>` +
    (status === 401
      ? `<p>Open the queue board from the <a href="${JOBS_PAGE}">Jobs page</a>, with the button “Open the queue board”.</p>`
      : '') +
    '</main></body></html>'
  );
}

/** An answer in the board's own error shape (`{ error: { key }, message }`), which its UI shows in a toast. */
function boardError(res: Response, status: number, message: string): void {
  const key = status === 403 ? 'ERRORS.FORBIDDEN' : status === 404 ? 'ERRORS.JOB_NOT_FOUND' : 'ERRORS.INTERNAL_SERVER_ERROR';
  if (status === 503) res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
  res.status(status).json({ error: { key }, message });
}

function decoded(segment: string): string | null {
  try {
    return decodeURIComponent(segment);
  } catch {
    return null;
  }
}

/**
 * Express router for QUEUE_BOARD_PATH: the pass check, the refusal of every change but retries (which go
 * through QueueBoardService, audited), then Bull Board itself (`@bull-board/api` with `@bull-board/express`).
 * The board is built on the first admitted request, so an API that nobody opens it on holds no extra Redis clients.
 */
export function queueBoardRouter(service: QueueBoardService, queues: QueueRegistry): Router {
  const router = Router();
  let board: RequestHandler | null = null;

  const failed = (res: Response, error: unknown) => {
    if (error instanceof HttpException) return boardError(res, error.getStatus(), error.message);
    if (isInfrastructureFailure(error) || /Redis/i.test((error as Error)?.message ?? '')) {
      return boardError(res, 503, REDIS_DOWN);
    }
    logger.error(`queue board: ${(error as Error)?.stack ?? String(error)}`);
    boardError(res, 500, 'The queue board failed; see the API log.');
  };

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    res.setHeader('Cache-Control', 'no-store');
    const wantsJson = req.path.startsWith('/api/');
    try {
      const access = await service.access(req.cookies?.[QUEUE_BOARD_COOKIE]);
      if (access.allowed) {
        res.locals.queueBoardActor = access.actor;
        return next();
      }
      if (access.status === 401 && req.cookies?.[QUEUE_BOARD_COOKIE] !== undefined) {
        res.clearCookie(QUEUE_BOARD_COOKIE, { path: QUEUE_BOARD_PATH });
      }
      if (wantsJson) return boardError(res, access.status, access.message);
      res.status(access.status).type('html').send(refusalPage(access.status, access.message));
    } catch (error) {
      // The session could not be checked (the database is down): an outage, not a refusal, and never a 500.
      if (wantsJson) return failed(res, error);
      res.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
      res.status(503).type('html').send(refusalPage(503, 'The platform cannot check your session right now: reload in a few seconds.'));
    }
  });

  router.use(async (req: Request, res: Response, next: NextFunction) => {
    if (req.method === 'GET' || req.method === 'HEAD') return next();
    const all = req.method === 'PUT' ? RETRY_ALL.exec(req.path) : null;
    const one = req.method === 'PUT' && !all ? RETRY_ONE.exec(req.path) : null;
    const [queueName, second] = (all ?? one ?? []).slice(1).map(decoded);
    if (!queueName || !second) {
      // Clean, empty, remove, pause, promote, edit, add…: the outbox and the reconciler own the jobs' lives.
      return boardError(
        res,
        403,
        'Only retrying failed jobs is allowed here: jobs are owned by the outbox, which expects them not to be removed or changed by hand.',
      );
    }
    const actor = res.locals.queueBoardActor;
    try {
      if (one) {
        await service.retry(actor, queueName, second);
        return res.status(204).end();
      }
      if (second !== 'failed') return boardError(res, 403, 'Only failed jobs can be retried here: a completed job has done its work.');
      res.status(200).json(await service.retryAllFailed(actor, queueName));
    } catch (error) {
      failed(res, error);
    }
  });

  router.use((req: Request, res: Response, next: NextFunction) => {
    board ??= buildBoard(queues);
    board(req, res, next);
  });
  return router;
}

function buildBoard(queues: QueueRegistry): RequestHandler {
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: Object.values(QueueName).map((name) => new BullMQAdapter(queues.get(name), ADAPTER_OPTIONS)),
    serverAdapter,
    options: {
      uiConfig: {
        boardTitle: 'PSF queues',
        hideDocsLink: true,
        miscLinks: [{ text: 'Back to the Jobs page', url: JOBS_PAGE }],
      },
    },
  });
  // Replaces the board's own handler, which answers 500 with the error's message and, in development, its stack.
  serverAdapter.setErrorHandler((error) => {
    if (isInfrastructureFailure(error)) {
      return { status: SERVICE_UNAVAILABLE, body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: REDIS_DOWN } };
    }
    logger.error(`queue board: ${error.stack ?? error.message}`);
    return { status: 500, body: { error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: 'The queue board failed; see the API log.' } };
  });
  const app = serverAdapter.getRouter();
  app.disable('x-powered-by');
  return app as RequestHandler;
}
