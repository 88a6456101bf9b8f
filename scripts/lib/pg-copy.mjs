// COPY … TO STDOUT and COPY … FROM STDIN as streams over node-pg, without pg-copy-streams: node-pg hands a
// "submittable" query the protocol's CopyData, CopyInResponse, CommandComplete and ReadyForQuery messages,
// which is all a COPY needs. Both directions respect back-pressure, so a table never sits in memory whole.
import { once } from 'node:events';

/** "COPY 42" → 42 (the row count PostgreSQL reports for a COPY). */
const copiedRows = (msg) => Number(/^COPY (\d+)/.exec(msg?.text ?? '')?.[1] ?? NaN);

/** A query object node-pg drives; the handlers COPY never receives are no-ops. */
class CopyQuery {
  constructor(text) {
    this.text = text;
    this.rows = NaN;
    this.done = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Settled before anyone awaits it when the server refuses the COPY outright.
    this.done.catch(() => undefined);
  }

  submit(connection) {
    this.connection = connection;
    connection.query(this.text);
  }

  handleCommandComplete(msg) {
    this.rows = copiedRows(msg);
  }

  handleReadyForQuery() {
    this.resolve(this.rows);
  }

  handleError(error) {
    this.failed = error;
    this.reject(error);
  }

  handleRowDescription() {}
  handleDataRow() {}
  handleEmptyQuery() {}
  handlePortalSuspended() {}
  handleCopyInResponse(connection) {
    connection.sendCopyFail('unexpected COPY FROM');
  }
  handleCopyData() {}
}

class CopyOut extends CopyQuery {
  constructor(text) {
    super(text);
    this.queue = [];
    this.wake = null;
    this.ended = false;
  }

  handleCopyData(msg) {
    // The protocol parser may reuse its buffer: keep a copy of our own.
    this.queue.push(Buffer.from(msg.chunk));
    // Stop reading the socket while our reader is behind; it is resumed as the queue drains.
    if (this.queue.length > 256) this.connection.stream.pause();
    this.wake?.();
  }

  handleReadyForQuery() {
    super.handleReadyForQuery();
    this.ended = true;
    this.wake?.();
  }

  handleError(error) {
    super.handleError(error);
    this.ended = true;
    this.wake?.();
  }

  async *chunks() {
    for (;;) {
      if (this.queue.length) {
        const chunk = this.queue.shift();
        if (this.queue.length < 64) this.connection.stream.resume();
        yield chunk;
      } else if (this.failed) {
        throw this.failed;
      } else if (this.ended) {
        return;
      } else {
        await new Promise((resolve) => (this.wake = resolve));
        this.wake = null;
      }
    }
  }
}

/**
 * Runs `COPY … TO STDOUT` on the client and yields its output as it arrives (one buffer per row in the text
 * format). After the last chunk, `result.rows` is the count PostgreSQL reported.
 */
export function copyOut(client, text) {
  const query = new CopyOut(text);
  client.query(query);
  const result = { rows: NaN };
  return {
    result,
    async *[Symbol.asyncIterator]() {
      try {
        yield* query.chunks();
        result.rows = await query.done;
      } finally {
        // A reader that gave up must not leave the socket paused: the client could then never end.
        query.connection?.stream.resume();
      }
    },
  };
}

class CopyIn extends CopyQuery {
  constructor(text) {
    super(text);
    this.ready = new Promise((resolve, reject) => {
      this.readyResolve = resolve;
      this.readyReject = reject;
    });
    this.ready.catch(() => undefined);
  }

  handleCopyInResponse() {
    this.readyResolve();
  }

  handleError(error) {
    super.handleError(error);
    this.readyReject(error);
  }
}

/**
 * Runs `COPY … FROM STDIN` on the client, feeding it the buffers `source` yields (COPY text format), and
 * resolves to the row count PostgreSQL reports. A failure of the source sends CopyFail, so the server
 * rejects the statement (and with it the transaction around it) instead of keeping half a table.
 */
export async function copyIn(client, text, source) {
  const query = new CopyIn(text);
  client.query(query);
  await query.ready;
  const { connection } = query;
  try {
    for await (const chunk of source) {
      if (query.failed) break;
      connection.sendCopyFromChunk(chunk);
      if (connection.stream.writableNeedDrain) await once(connection.stream, 'drain');
    }
  } catch (error) {
    if (!query.failed) connection.sendCopyFail(String(error?.message ?? error).slice(0, 200));
    await query.done.catch(() => undefined);
    throw error;
  }
  if (!query.failed) connection.endCopyFrom();
  return query.done;
}
