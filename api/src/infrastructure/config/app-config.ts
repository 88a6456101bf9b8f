import { isIP } from 'node:net';
import * as path from 'node:path';
import { z } from 'zod';
import { LOG_FORMATS, resolveLogFormat } from '../logging/log-format';
import { parseRouteOverrides, REQUEST_LOG_MODES, ROUTE_OVERRIDES_SYNTAX } from '../logging/request-log-policy';

const bool = z.enum(['true', 'false', '1', '0', 'yes', 'no']).transform((v) => v === 'true' || v === '1' || v === 'yes');
const int = (min: number, max: number) => z.coerce.number().int().min(min).max(max);

/** Express 'trust proxy': false (no proxy), a hop count, or the proxies' addresses/CIDRs (and Express' named ranges). */
export type TrustProxy = false | number | string[];
const PROXY_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);

function isAddressOrCidr(entry: string): boolean {
  const [address, prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (!version || rest.length) return false;
  if (prefix === undefined) return true;
  if (!/^\d{1,3}$/.test(prefix)) return false;
  return Number(prefix) <= (version === 4 ? 32 : 128);
}

/** Why a TRUST_PROXY value is refused, or null. `true` trusts every X-Forwarded-For: anyone could pick their address. */
export function trustProxyProblem(value: string): string | null {
  const v = value.trim().toLowerCase();
  if (['true', 'yes', 'on'].includes(v)) {
    return (
      'must not be "true" (it trusts any X-Forwarded-For, so a client could choose its own address): give the number of ' +
      'proxies in front of the API (e.g. 1) or their addresses/CIDRs (e.g. 10.0.0.0/8,192.168.1.10)'
    );
  }
  if (['false', 'no', 'off', ''].includes(v) || /^\d+$/.test(v)) return null;
  const bad = v
    .split(',')
    .map((e) => e.trim())
    .filter((e) => !PROXY_NAMES.has(e) && !isAddressOrCidr(e));
  return bad.length ? `"${bad.join('", "')}" is not an address or CIDR; give a hop count (e.g. 1) or the proxies' addresses/CIDRs` : null;
}

export function parseTrustProxy(value: string): TrustProxy {
  const v = value.trim().toLowerCase();
  if (['false', 'no', 'off', '', '0'].includes(v)) return false;
  if (/^\d+$/.test(v)) return Number(v);
  if (trustProxyProblem(v)) return false;
  return v.split(',').map((e) => e.trim());
}

const schema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: int(1, 65535).default(3000),
    PUBLIC_URL: z.string().url().optional(),
    DATABASE_URL: z.string().regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL'),
    DATABASE_POOL_SIZE: int(1, 200).default(10),
    // The hottest statements as named prepared statements (database/kysely.ts executePrepared); off behind a pooler that cannot keep them.
    DATABASE_PREPARED_STATEMENTS: bool.default('true'),
    // The owner role that runs migrations; DATABASE_URL is then the application role (psf_app), which cannot rewrite audit_log.
    DATABASE_OWNER_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
      .optional(),
    // Production refuses to start when DATABASE_URL may rewrite audit_log, unless this says a single-role deployment is accepted.
    DATABASE_ALLOW_OWNER_ROLE: bool.default('false'),
    REDIS_URL: z
      .string()
      .regex(/^rediss?:\/\//, 'must be a redis:// URL')
      .default('redis://127.0.0.1:6379'),
    REDIS_PREFIX: z
      .string()
      .regex(/^[A-Za-z0-9:_-]+$/)
      .default('psf'),
    JWT_SECRET: z.string().min(32, 'must be at least 32 characters'),
    // Optional: without it the TOTP secrets are encrypted under a key derived from JWT_SECRET.
    TOTP_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    // Optional: without it the audit chain's HMAC key is derived from JWT_SECRET.
    AUDIT_HMAC_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    AUDIT_CHECKPOINT_MINUTES: int(1, 1440).default(5),
    AUDIT_CHECKPOINT_FILE: z.string().optional(),
    ACCESS_TOKEN_TTL_SECONDS: int(60, 86_400).default(900),
    REFRESH_TOKEN_TTL_DAYS: int(1, 365).default(30),
    LOGIN_MAX_FAILURES_PER_ACCOUNT: int(1, 1000).default(5),
    LOGIN_MAX_FAILURES_PER_IP: int(1, 100_000).default(20),
    REGISTER_MAX_PER_IP_PER_HOUR: int(1, 1_000_000).default(10),
    LOGIN_THROTTLE_WINDOW_SECONDS: int(1, 86_400).default(900),
    LOGIN_MAX_DELAY_SECONDS: int(1, 86_400).default(900),
    LOGIN_DEVICE_COOKIE_DAYS: int(1, 3650).default(365),
    RATE_LIMIT_PUBLIC_PER_MINUTE: int(1, 1_000_000).default(600),
    RATE_LIMIT_UPLOADS_PER_HOUR: int(1, 1_000_000).default(300),
    RATE_LIMIT_RESET_PASSWORD_PER_HOUR: int(1, 1_000_000).default(30),
    PASSWORD_HASH_CONCURRENCY: int(1, 256).default(4),
    PASSWORD_HASH_QUEUE: int(0, 100_000).default(64),
    SESSION_MAX_AGE_DAYS: int(1, 365).default(30),
    STAFF_IDLE_TIMEOUT_MINUTES: int(1, 1440).default(30),
    SESSION_CHECK_CACHE_SECONDS: int(0, 60).default(5),
    HTTP_KEEP_ALIVE_SECONDS: int(1, 3600).default(65),
    STEP_UP_WINDOW_MINUTES: int(1, 1440).default(15),
    DATA_DIR: z.string().default('.data'),
    MAIL_DIR: z.string().optional(),
    MAIL_FROM: z.string().default('PSF Certification <no-reply@psf.invalid>'),
    SMTP_URL: z
      .string()
      .regex(/^smtps?:\/\//, 'must be an smtp:// or smtps:// URL')
      .optional(),
    WEB_DIST_DIR: z.string().optional(),
    BANK_DIR: z.string().default('question-bank'),
    BANK_SYNC_ON_START: bool.default('true'),
    SIGNING_KEYS_DIR: z.string().optional(),
    // Optional: without it the signing keys' private halves are sealed under a key derived from JWT_SECRET.
    SIGNING_KEY_ENCRYPTION_KEY: z.string().min(32, 'must be at least 32 characters').optional(),
    STATUS_LIST_TTL_SECONDS: int(60, 604_800).default(3600),
    MAX_ATTACHMENT_MB: int(1, 500).default(20),
    MAX_ATTACHMENTS_PER_PORTFOLIO: int(1, 10_000).default(30),
    MAX_PORTFOLIO_MB: int(1, 100_000).default(200),
    CONFLICT_DECLARATIONS_MAX: int(1, 20).default(3),
    REVIEW_RESPONSE_DAYS: int(1, 60).default(3),
    REVIEW_DUE_DAYS: int(1, 120).default(14),
    REVIEW_BLIND: bool.default('true'),
    ISSUER_NAME: z.string().default('PSF Certification Body'),
    // The signature block of the certificate PDF: a typeset line, never a signature image.
    ISSUER_SIGNATORY_NAME: z.string().trim().min(1).max(100).optional(),
    ISSUER_SIGNATORY_ROLE: z.string().trim().min(1).max(100).default('Authorised signatory'),
    CERTIFICATE_VALIDITY_DAYS_AIDA: int(1, 36_500).optional(),
    CERTIFICATE_VALIDITY_DAYS_CPAP: int(1, 36_500).optional(),
    CERTIFICATE_VALIDITY_DAYS_CPAA: int(1, 36_500).optional(),
    PANEL_MEETING_URL_TEMPLATE: z
      .string()
      .url()
      .refine((v) => v.includes('{bookingId}'), 'must contain {bookingId}')
      .default('https://meet.jit.si/PSF-Panel-{bookingId}'),
    // Issue #17: administrators are alerted once when a passed CPAA candidate has had no booking for this many days.
    PANEL_WAIT_ALERT_DAYS: int(1, 365).default(14),
    SERVE_SPA: bool.default('true'),
    MIGRATIONS_RUN: bool.default('true'),
    OUTBOX_POLL_MS: int(10, 60_000).default(500),
    // Durability (issue #15): how a crashed worker's jobs are found again, and how often PostgreSQL is reconciled with Redis.
    JOB_STALLED_INTERVAL_SECONDS: int(1, 600).default(30),
    JOB_MAX_STALLED: int(1, 20).default(3),
    RECONCILE_INTERVAL_SECONDS: int(1, 3600).default(60),
    RECONCILE_GRACE_SECONDS: int(0, 86_400).default(300),
    RECONCILE_FAILED_RETRY_MINUTES: int(1, 1440).default(15),
    // Issue #16: the bearer token a Prometheus scraper presents at GET /metrics; unset, /metrics answers 404.
    METRICS_TOKEN: z.string().min(16, 'must be at least 16 characters').regex(/^\S+$/, 'must not contain spaces').optional(),
    TRUST_PROXY: z
      .string()
      .default('false')
      .transform((v, ctx) => {
        const problem = trustProxyProblem(v);
        if (problem) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problem });
        return parseTrustProxy(v);
      }),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    // Issue #16: how logs are written, and which requests get a line.
    LOG_FORMAT: z.enum(LOG_FORMATS).optional(),
    LOG_REQUESTS: z.enum(REQUEST_LOG_MODES).default('all'),
    LOG_REQUEST_SAMPLE: z.coerce.number().min(0).max(1).default(1),
    LOG_REQUEST_ROUTES: z
      .string()
      .default('')
      .transform((v, ctx) => {
        const { overrides, problems } = parseRouteOverrides(v);
        const message = `${problems.join('; ')} (expected ${ROUTE_OVERRIDES_SYNTAX})`;
        if (problems.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message });
        return overrides;
      }),
    DATA_EXPORT_TTL_HOURS: int(1, 720).default(72),
    RETENTION_REMOVED_ATTACHMENT_DAYS: int(1, 3650).default(30),
    RETENTION_MAIL_DAYS: int(1, 3650).default(180),
    RETENTION_ENDED_SESSION_DAYS: int(1, 3650).default(90),
    RETENTION_UNVERIFIED_ACCOUNT_DAYS: int(1, 365).default(7),
  })
  .strip();

export type AppConfig = ReturnType<typeof parse>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function parse(env: NodeJS.ProcessEnv) {
  // Empty strings count as unset so that `FOO=` in a compose file falls back to the default.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = schema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = issue.path.join('.');
        return issue.code === 'invalid_type' && issue.received === 'undefined'
          ? `${name} is required but not set`
          : `${name}: ${issue.message}`;
      }),
    );
  }
  const c = result.data;
  // Relative paths are taken from the working directory (the repository root under npm scripts).
  const repoRoot = process.cwd();
  const dataDir = path.resolve(repoRoot, c.DATA_DIR);
  return {
    env: c.NODE_ENV,
    production: c.NODE_ENV === 'production',
    port: c.PORT,
    keepAliveSeconds: c.HTTP_KEEP_ALIVE_SECONDS,
    publicUrl: (c.PUBLIC_URL ?? `http://localhost:${c.PORT}`).replace(/\/$/, ''),
    databaseUrl: c.DATABASE_URL,
    databasePoolSize: c.DATABASE_POOL_SIZE,
    databasePreparedStatements: c.DATABASE_PREPARED_STATEMENTS,
    databaseOwnerUrl: c.DATABASE_OWNER_URL,
    databaseAllowOwnerRole: c.DATABASE_ALLOW_OWNER_ROLE,
    redisUrl: c.REDIS_URL,
    redisPrefix: c.REDIS_PREFIX,
    jwtSecret: c.JWT_SECRET,
    totpEncryptionKey: c.TOTP_ENCRYPTION_KEY,
    // Issue #14: the audit chain is keyed (HMAC) and its head is checkpointed to a file outside the database.
    audit: {
      hmacKey: c.AUDIT_HMAC_KEY,
      checkpointMinutes: c.AUDIT_CHECKPOINT_MINUTES,
      checkpointFile: path.resolve(repoRoot, c.AUDIT_CHECKPOINT_FILE ?? path.join(dataDir, 'audit', 'checkpoints.jsonl')),
    },
    accessTokenTtlSeconds: c.ACCESS_TOKEN_TTL_SECONDS,
    refreshTokenTtlDays: c.REFRESH_TOKEN_TTL_DAYS,
    loginThrottle: {
      maxFailuresPerAccount: c.LOGIN_MAX_FAILURES_PER_ACCOUNT,
      maxFailuresPerIp: c.LOGIN_MAX_FAILURES_PER_IP,
      windowSeconds: c.LOGIN_THROTTLE_WINDOW_SECONDS,
      /** Past the free failures, each failure doubles the wait before the next attempt: first this, at most maxDelaySeconds. */
      delayBaseSeconds: 1,
      maxDelaySeconds: c.LOGIN_MAX_DELAY_SECONDS,
      /** The signed device cookie a successful sign-in sets: that browser is throttled on its own failures only. */
      deviceCookieDays: c.LOGIN_DEVICE_COOKIE_DAYS,
    },
    // Shared across replicas (PostgreSQL counters); an object so that a test can shorten them on its own app.
    rateLimits: {
      /** Public verification, credentials, status lists and the JWK Set: requests per client address. */
      public: { max: c.RATE_LIMIT_PUBLIC_PER_MINUTE, windowSeconds: 60 },
      /** Attachment uploads per user. */
      uploads: { max: c.RATE_LIMIT_UPLOADS_PER_HOUR, windowSeconds: 3600 },
      /** Password reset submissions (POST /api/auth/reset-password) per client address. */
      resetPassword: { max: c.RATE_LIMIT_RESET_PASSWORD_PER_HOUR, windowSeconds: 3600 },
    },
    /** Argon2 is costly: at most `concurrency` hashes at once in this process, `queue` more waiting, beyond that 429. */
    passwordHashing: { concurrency: c.PASSWORD_HASH_CONCURRENCY, queue: c.PASSWORD_HASH_QUEUE },
    // Seconds, so that a test can shorten them on its own app (the settings are days and minutes).
    sessions: {
      /** Absolute lifetime of a session from sign-in: refreshing does not extend it. */
      maxAgeSeconds: c.SESSION_MAX_AGE_DAYS * 86_400,
      /** A staff (admin, reviewer) session unused this long is ended. */
      staffIdleSeconds: c.STAFF_IDLE_TIMEOUT_MINUTES * 60,
      /** How long an API process trusts its last check of a (non-staff) session; 0 checks on every request. */
      checkCacheSeconds: c.SESSION_CHECK_CACHE_SECONDS,
      /** How long a proven second factor (sign-in or step-up) lets the session do sensitive actions. */
      stepUpWindowSeconds: c.STEP_UP_WINDOW_MINUTES * 60,
    },
    dataDir,
    mailDir: path.resolve(repoRoot, c.MAIL_DIR ?? path.join(dataDir, 'mail')),
    mailFrom: c.MAIL_FROM,
    smtpUrl: c.SMTP_URL,
    webDistDir: path.resolve(repoRoot, c.WEB_DIST_DIR ?? 'web/dist'),
    serveSpa: c.SERVE_SPA,
    bankDir: path.resolve(repoRoot, c.BANK_DIR),
    bankSyncOnStart: c.BANK_SYNC_ON_START,
    signingKeysDir: path.resolve(repoRoot, c.SIGNING_KEYS_DIR ?? path.join(dataDir, 'keys')),
    signingKeyEncryptionKey: c.SIGNING_KEY_ENCRYPTION_KEY,
    /** How long a signed status list credential is valid (its validUntil); served lists are re-signed before half of it is gone. */
    statusListTtlSeconds: c.STATUS_LIST_TTL_SECONDS,
    issuerName: c.ISSUER_NAME,
    /** Who signs the certificates for the issuer, as the PDF's signature block prints it (name optional). */
    issuerSignatory: { name: c.ISSUER_SIGNATORY_NAME ?? null, role: c.ISSUER_SIGNATORY_ROLE },
    maxAttachmentBytes: c.MAX_ATTACHMENT_MB * 1_048_576,
    /** Per portfolio: how many attachments it may list, and their total size. */
    portfolioLimits: { maxAttachments: c.MAX_ATTACHMENTS_PER_PORTFOLIO, maxBytes: c.MAX_PORTFOLIO_MB * 1_048_576 },
    conflictDeclarationsMax: c.CONFLICT_DECLARATIONS_MAX,
    review: { responseDays: c.REVIEW_RESPONSE_DAYS, dueDays: c.REVIEW_DUE_DAYS, blind: c.REVIEW_BLIND },
    certificateValidityDays: {
      AIDA: c.CERTIFICATE_VALIDITY_DAYS_AIDA,
      CPAP: c.CERTIFICATE_VALIDITY_DAYS_CPAP,
      CPAA: c.CERTIFICATE_VALIDITY_DAYS_CPAA,
    } as Record<string, number | undefined>,
    panelMeetingUrlTemplate: c.PANEL_MEETING_URL_TEMPLATE,
    panelWaitAlertDays: c.PANEL_WAIT_ALERT_DAYS,
    runMigrations: c.MIGRATIONS_RUN,
    outboxPollMs: c.OUTBOX_POLL_MS,
    jobs: {
      /** How often a worker looks for jobs whose worker died (BullMQ stalledInterval; the job lock lasts as long). */
      stalledIntervalMs: c.JOB_STALLED_INTERVAL_SECONDS * 1000,
      /** A job whose worker died this many times is failed (a poison pill), not retried forever. */
      maxStalledCount: c.JOB_MAX_STALLED,
    },
    reconcile: {
      /** A reconciliation pass runs at worker start and this often after. */
      intervalMs: c.RECONCILE_INTERVAL_SECONDS * 1000,
      /** Module reconcilers only look at records older than this: younger ones' jobs may simply not have run yet. */
      graceMs: c.RECONCILE_GRACE_SECONDS * 1000,
      /** A failed job is retried by the reconciler this long after it failed (and after each further failure). */
      failedRetryMs: c.RECONCILE_FAILED_RETRY_MINUTES * 60_000,
    },
    trustProxy: c.TRUST_PROXY,
    /** Bearer token of GET /metrics; undefined: metrics are off (404). */
    metricsToken: c.METRICS_TOKEN,
    // Fixed by issue #13 (not environment settings); an object so that a test can shorten them on its own app.
    accounts: {
      verifyEmailTokenTtlSeconds: 24 * 3600,
      /** The link that confirms a new address (an e-mail change). */
      changeEmailTokenTtlSeconds: 24 * 3600,
      resetPasswordTokenTtlSeconds: 3600,
      /** An address left unconfirmed this long is released: the account is deleted (no squatting). RETENTION_UNVERIFIED_ACCOUNT_DAYS. */
      unverifiedAccountDays: c.RETENTION_UNVERIFIED_ACCOUNT_DAYS,
      /** Registrations per client address per hour (raise it only for a load test on a throwaway instance). */
      registerMaxPerIpPerHour: c.REGISTER_MAX_PER_IP_PER_HOUR,
    },
    // Data rights (issue #13): how long an export link works, and how long personal data no longer needed is kept.
    dataExportTtlHours: c.DATA_EXPORT_TTL_HOURS,
    retention: {
      /** Files of attachments the candidate removed (and that no submitted version lists) are deleted after this. */
      removedAttachmentDays: c.RETENTION_REMOVED_ATTACHMENT_DAYS,
      /** Stored mail (the files and the notifications rows) is deleted after this. */
      mailDays: c.RETENTION_MAIL_DAYS,
      /** Sessions that ended (or ran out) this long ago are deleted with their client address and user agent. */
      endedSessionDays: c.RETENTION_ENDED_SESSION_DAYS,
    },
    logLevel: c.LOG_LEVEL,
    /** LOG_FORMAT, else pretty for a terminal outside production and JSON otherwise. */
    logFormat: resolveLogFormat(c.LOG_FORMAT, c.NODE_ENV === 'production', process.stdout.isTTY === true),
    /** Which requests get a line; read on every request, so that a test can change it on its own app. */
    requestLogging: { mode: c.LOG_REQUESTS, sampleRate: c.LOG_REQUEST_SAMPLE, routes: c.LOG_REQUEST_ROUTES },
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  return parse(env);
}

export const APP_CONFIG = Symbol('APP_CONFIG');
