import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import cookieParser from 'cookie-parser';
import type { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { DataSource } from 'typeorm';
import { existsSync, readFileSync } from 'node:fs';
import type { Server } from 'node:http';
import * as path from 'node:path';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { toErrorBody } from './common/errors/http-exception.filter';
import { documentCommonResponses } from './common/http/common-responses';
import { type CacheHitObserver, SharedResponseCache } from './common/http/shared-response-cache';
import { BatchedRateLimiter } from './common/rate-limit/batched-rate-limiter';
import { rateLimitKey } from './common/rate-limit/rate-limit.guard';
import { APP_CONFIG, type AppConfig } from './infrastructure/config/app-config';
import { assignRequestId, logAnsweredRequest, requestLoggingMiddleware } from './infrastructure/logging/logging.module';
import { routeTemplate } from './infrastructure/logging/request-log-line';
import { HttpMetrics } from './infrastructure/metrics/http-metrics';
import { QueueRegistry } from './infrastructure/queue/queue-registry';
import { CertificatesService } from './modules/certificates/certificates.service';
import { VERIFY_PAGE_RATE_LIMIT, withHead } from './modules/certificates/verify-page-head';
import { SpaRoutes } from './common/http/spa-routes';
import { QUEUE_BOARD_PATH } from './modules/operations/queue-board-pass';
import { queueBoardRouter } from './modules/operations/queue-board.router';
import { QueueBoardService } from './modules/operations/queue-board.service';

export function buildOpenApiDocument(app: NestExpressApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('PSF Certification Platform API')
    .setDescription(
      'Accounts, examinations, portfolios, reviews and verifiable certificates for the Production Safety Framework ' +
        '(PSF v1.0, Production AI Institute, CC BY 4.0). The published contract is docs/api-contract.md.',
    )
    .setVersion('1')
    .addBearerAuth()
    .build();
  return documentCommonResponses(SwaggerModule.createDocument(app, config));
}

/** The replica's memory cache of public answers (framework, JWK Set, status lists), logged and counted like the rest. */
function sharedResponseCache(app: NestExpressApplication, config: AppConfig): SharedResponseCache {
  const metrics = app.get(HttpMetrics);
  const observer: CacheHitObserver = {
    requestId: assignRequestId,
    route: (req, res) => routeTemplate(req, res.statusCode),
    answered: (req, res, route, requestId, startedAt) => {
      const seconds = Number(process.hrtime.bigint() - startedAt) / 1e9;
      logAnsweredRequest(config, req, res, route, requestId, Math.round(seconds * 1000));
      metrics.record(req.method, route, res.statusCode, seconds);
    },
  };
  return new SharedResponseCache(observer, BatchedRateLimiter.of(app.get(DataSource)), (spec) => config.rateLimits[spec.limit]);
}

/** Builds the HTTP application exactly as production runs it (tests use this too). */
export async function createHttpApp(): Promise<NestExpressApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule, { bufferLogs: true, bodyParser: false });
  const config = app.get<AppConfig>(APP_CONFIG);
  app.useLogger(app.get(Logger));
  app.enableShutdownHooks();
  app.set('trust proxy', config.trustProxy);
  // Longer than a load balancer's idle timeout (commonly 60 s) and than a candidate's pause between two saves: a
  // connection the server closes just as the client sends on it loses that request to a reset (Node's default is 5 s).
  const server = app.getHttpServer() as Server;
  server.keepAliveTimeout = config.keepAliveSeconds * 1000;
  server.headersTimeout = config.keepAliveSeconds * 1000 + 1000;
  app.disable('x-powered-by');
  // Public answers kept in memory go out first, with their own log line, X-Request-Id, timing and rate-limit count.
  app.use(sharedResponseCache(app, config).middleware);
  // The request log and the request metrics come before anything else can answer, so that every response (404s,
  // refusals, bad JSON) gets its log line, its X-Request-Id and its timing.
  app.use(requestLoggingMiddleware(config));
  app.use(app.get(HttpMetrics).middleware);
  app.use(
    helmet({
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          styleSrc: ["'self'", "'unsafe-inline'"],
          // blob: for the portfolio editor's previews of the candidate's own images and PDFs, fetched with their token.
          imgSrc: ["'self'", 'data:', 'blob:'],
          frameSrc: ["'self'", 'blob:'],
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: null,
        },
      },
    }),
  );
  app.useBodyParser('json', { limit: '1mb' });
  app.use(cookieParser());
  app.setGlobalPrefix('api', { exclude: ['.well-known/{*path}', 'metrics'] });

  SwaggerModule.setup('api/docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'api/docs-json' });
  // Bull Board for administrators, opened with a pass from POST /api/admin/queues/session; before the SPA fallback.
  app.use(QUEUE_BOARD_PATH, queueBoardRouter(app.get(QueueBoardService), app.get(QueueRegistry)));

  if (config.serveSpa && existsSync(path.join(config.webDistDir, 'index.html'))) {
    app.useStaticAssets(config.webDistDir, { index: false, maxAge: '1h' });
    const indexHtml = path.join(config.webDistDir, 'index.html');
    const indexText = readFileSync(indexHtml, 'utf8');
    const certificates = app.get(CertificatesService);
    const publicLimiter = BatchedRateLimiter.of(app.get(DataSource));
    const spaRoutes = SpaRoutes.fromFile(path.join(config.webDistDir, 'spa-routes.json'));
    // Client-side routes (/login, /verify/…) get the SPA; /api, /.well-known and /metrics stay with Nest. Any other
    // address gets the SPA's not-found page with a 404. A verify page comes with its link-preview tags rendered here
    // (crawlers do not run the SPA), and 404 for unknown numbers; being a database query, it counts against the public
    // rate limit as the API's certificate check does.
    app.use((req: Request, res: Response, next: NextFunction) => {
      if (req.method !== 'GET' || req.path.startsWith('/api') || req.path.startsWith('/.well-known') || req.path === '/metrics')
        return next();
      res.setHeader('Cache-Control', 'no-cache');
      if (spaRoutes && !spaRoutes.has(req.path)) return res.status(404).type('html').send(indexText);
      const verify = /^\/verify\/([^/]+)$/.exec(req.path);
      if (!verify) return res.sendFile(indexHtml);
      let typed = verify[1];
      try {
        typed = decodeURIComponent(typed);
      } catch {
        // Not valid percent-encoding: looked up as typed, and not found.
      }
      const { max, windowSeconds } = config.rateLimits[VERIFY_PAGE_RATE_LIMIT.limit];
      Promise.resolve(publicLimiter.check(rateLimitKey(VERIFY_PAGE_RATE_LIMIT, req), max, windowSeconds, VERIFY_PAGE_RATE_LIMIT.what))
        .then(async (refusal) => {
          // A page, not the API: the refusal in words a person reads, with the API's Retry-After.
          if (refusal) {
            res.status(429).set('Retry-After', String(refusal.retryAfterSeconds)).type('text').send(refusal.message);
            return;
          }
          const head = await certificates.verifyPageHead(typed);
          res.status(head.status).type('html').send(withHead(indexText, head));
        })
        .catch(next);
    });
  }
  // Errors raised before Nest's filters (body parsing) still get the contract's shape.
  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const body = toErrorBody(err);
    res.status(body.statusCode).json(body);
  });
  return app;
}
