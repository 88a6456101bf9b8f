import { NotFoundException } from '@nestjs/common';
import Redis from 'ioredis';
import { MaxRetriesPerRequestError } from 'ioredis/built/errors';
import { QueryRunnerAlreadyReleasedError } from 'typeorm';
import { createServer } from 'node:net';
import { Client, DatabaseError } from 'pg';
import { QueryFailedError } from 'typeorm';
import { describeInfrastructureFailure, isInfrastructureFailure } from './infrastructure-failure';

/** A local port nothing listens on: bound, read, released. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A server error as node-postgres builds it from the wire (pg-protocol's parser sets code after construction). */
function serverError(code: string, message: string): DatabaseError {
  return Object.assign(new DatabaseError(message, 100, 'error'), { severity: 'FATAL', code });
}

/** How TypeORM hands a failed query to the application. */
const failedQuery = (driverError: Error) => new QueryFailedError('SELECT 1', [], driverError);

describe('isInfrastructureFailure', () => {
  it('recognises a refused PostgreSQL connection, as node-postgres reports it', async () => {
    const client = new Client({ connectionString: `postgres://nobody@127.0.0.1:${await closedPort()}/none` });
    const error = await client.connect().then(
      () => null,
      (e: unknown) => e,
    );
    await client.end().catch(() => undefined);
    expect(error).toMatchObject({ code: 'ECONNREFUSED' });
    expect(isInfrastructureFailure(error)).toBe(true);
  });

  it('recognises a refused Redis connection when no command can be queued', async () => {
    const redis = new Redis({ port: await closedPort(), enableOfflineQueue: false, retryStrategy: () => null });
    redis.on('error', () => undefined);
    const ended = new Promise((resolve) => redis.once('end', resolve));
    const error = await redis.ping().then(
      () => null,
      (e: unknown) => e,
    );
    await ended;
    expect(error).toBeInstanceOf(Error);
    expect(isInfrastructureFailure(error)).toBe(true);
    expect(isInfrastructureFailure(new MaxRetriesPerRequestError(1))).toBe(true);
  });

  it("recognises TypeORM's released query runner: the transaction's connection was terminated under it", () => {
    // Seen in the PostgreSQL drill: a save whose transaction lost its connection between two queries.
    expect(isInfrastructureFailure(new QueryRunnerAlreadyReleasedError())).toBe(true);
  });

  it.each([
    ['57P01', 'terminating connection due to administrator command'],
    ['57P02', 'terminating connection because of crash of another server process'],
    ['57P03', 'the database system is starting up'],
    ['53300', 'too many connections for database "psf"'],
    ['08006', 'connection failure'],
    ['40001', 'could not serialize access due to concurrent update'],
    ['40P01', 'deadlock detected'],
  ])('recognises SQLSTATE %s (%s), bare and wrapped by TypeORM', (code, message) => {
    expect(isInfrastructureFailure(serverError(code, message))).toBe(true);
    expect(isInfrastructureFailure(failedQuery(serverError(code, message)))).toBe(true);
  });

  it.each([
    'Connection terminated unexpectedly',
    'Connection terminated due to connection timeout',
    'Connection terminated',
    'timeout exceeded when trying to connect',
    'Client has encountered a connection error and is not queryable',
    'Cannot use a pool after calling end on the pool',
  ])('recognises node-postgres and pg-pool saying "%s"', (message) => {
    expect(isInfrastructureFailure(new Error(message))).toBe(true);
    expect(isInfrastructureFailure(failedQuery(new Error(message)))).toBe(true);
  });

  it('looks inside an AggregateError (a host name with several addresses) and an error cause', () => {
    const refused = (address: string) => Object.assign(new Error(`connect ECONNREFUSED ${address}:5432`), { code: 'ECONNREFUSED' });
    expect(isInfrastructureFailure(new AggregateError([refused('::1'), refused('127.0.0.1')]))).toBe(true);
    expect(isInfrastructureFailure(new Error('session check failed', { cause: refused('10.0.0.3') }))).toBe(true);
  });

  it('leaves faults of the request or of the code alone', () => {
    expect(isInfrastructureFailure(failedQuery(serverError('23505', 'duplicate key value violates unique constraint')))).toBe(false);
    expect(isInfrastructureFailure(failedQuery(serverError('42P01', 'relation "nope" does not exist')))).toBe(false);
    expect(isInfrastructureFailure(new NotFoundException('No such user'))).toBe(false);
    expect(isInfrastructureFailure(new TypeError("Cannot read properties of undefined (reading 'id')"))).toBe(false);
    expect(isInfrastructureFailure(new Error('connection to 10.0.0.3 refused'))).toBe(false);
    expect(isInfrastructureFailure(null)).toBe(false);
    expect(isInfrastructureFailure('Connection terminated')).toBe(false);
  });
});

describe('describeInfrastructureFailure', () => {
  it('names the code and message of the failure inside the wrapper, on one line', () => {
    const line = describeInfrastructureFailure(failedQuery(serverError('57P01', 'terminating connection due to administrator command')));
    expect(line).toBe('57P01 terminating connection due to administrator command');
  });
});
