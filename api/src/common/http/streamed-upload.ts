import { BadRequestException, createParamDecorator, type ExecutionContext } from '@nestjs/common';
import busboy from 'busboy';
import type { IncomingMessage } from 'node:http';
import type { Readable } from 'node:stream';

/** What a multipart body may carry besides its one file, each bounded while the body streams in. */
export interface MultipartLimits {
  /** Text fields (none is used; a few are tolerated), each at most `fieldSize` bytes under a name of at most `fieldNameSize`. */
  fields: number;
  fieldSize: number;
  fieldNameSize: number;
  /** Parts of any kind: fields, files and parts busboy skips. */
  parts: number;
}

/** The one file of a multipart body, as it arrives. */
export interface IncomingFile {
  /** As the client named it (not yet made safe to store). */
  fileName: string;
  stream: Readable;
}

// What a part adds to a body besides its content: its headers (busboy refuses more than 16 KiB) and its boundary line
// (at most 70 characters, with the dashes and line breaks around it).
const PART_OVERHEAD_BYTES = 16 * 1024 + 80;

const INTERRUPTED = 'The upload was interrupted before the body ended';

/**
 * A multipart request whose body has not been read yet. The route checks what it can first (a refusal is
 * answered without reading the body; Node discards it as it arrives), then `receive` streams the one file
 * to where it goes, never holding it in memory.
 */
export class StreamedUpload {
  constructor(
    private readonly req: IncomingMessage,
    private readonly limits: MultipartLimits,
  ) {}

  /**
   * The fewest bytes the file can have, judging by the declared Content-Length: what is left once the most
   * the other parts may take (fields at their limit, every part's headers and boundary) is set aside.
   * 0 when no length is declared (a chunked body): then only the streamed count tells.
   */
  get leastFileBytes(): number {
    const declared = Number(this.req.headers['content-length']);
    if (!Number.isSafeInteger(declared)) return 0;
    const { parts, fields, fieldSize } = this.limits;
    return Math.max(0, declared - parts * PART_OVERHEAD_BYTES - fields * fieldSize);
  }

  /**
   * Reads the body, handing its file part named `field` to `consume` as it streams in, and settles once the
   * whole body is read: with what `consume` gave, or undefined when there is no file (or the body is not
   * multipart at all). A malformed body, a passed limit, another file field or a client gone mid-upload
   * fails it with a 400, and `consume`'s own failure is passed on as it is. On failure the file stream is
   * destroyed, the failure waits for `consume` to settle (so what it was writing is cleaned up first) and the
   * rest of the body is discarded as it arrives, never held.
   */
  receive<T>(field: string, consume: (file: IncomingFile) => Promise<T>): Promise<T | undefined> {
    const { req, limits } = this;
    if (!/^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '')) return Promise.resolve(undefined);
    let parser: busboy.Busboy;
    try {
      // busboy reports a limit when it is reached; one more makes it report only what passes the limit.
      parser = busboy({
        headers: req.headers,
        limits: { files: 1, fields: limits.fields, fieldSize: limits.fieldSize + 1, parts: limits.parts + 1 },
      });
    } catch (err) {
      return Promise.reject(new BadRequestException((err as Error).message));
    }
    return new Promise<T | undefined>((resolve, reject) => {
      let consumed: Promise<T> | undefined;
      let settled = false;
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        req.unpipe(parser);
        req.resume();
        parser.destroy();
        void (consumed ?? Promise.resolve()).catch(() => undefined).finally(() => reject(error));
      };
      const refuse = (message: string) => fail(new BadRequestException(message));

      parser.on('file', (name: string | undefined, stream, info) => {
        // A failure reaches the consumer through its reads; this keeps one raised before it reads from crashing the process.
        stream.on('error', () => undefined);
        // busboy may go on parsing the rest of a chunk it was given after a failure.
        if (settled) return;
        if (name === undefined) return refuse('Field name missing');
        if (name !== field) return refuse(`Unexpected file field - ${name}`);
        consumed = consume({ fileName: info.filename ?? '', stream });
        consumed.catch(fail);
      });
      parser.on('field', (name: string, _value, info) => {
        if (settled) return;
        if (name.length > limits.fieldNameSize) refuse('Field name too long');
        else if (info.valueTruncated) refuse(`Field value too long - ${name}`);
      });
      parser.on('fieldsLimit', () => refuse('Too many fields'));
      parser.on('filesLimit', () => refuse('Too many files'));
      parser.on('partsLimit', () => refuse('Too many parts'));
      parser.on('error', (err: Error) => refuse(`Multipart: ${err.message}`));
      parser.on('close', () => {
        if (settled) return;
        if (!consumed) {
          settled = true;
          return resolve(undefined);
        }
        consumed.then((value) => {
          if (settled) return;
          settled = true;
          resolve(value);
        }, fail);
      });
      // A client that goes away mid-upload (or already went, while the route was checking) never ends the body:
      // without this the file would wait for it forever.
      if (req.destroyed) return refuse(INTERRUPTED);
      req.on('close', () => {
        if (!req.complete) refuse(INTERRUPTED);
      });
      req.pipe(parser);
    });
  }
}

/** The route's multipart body, not yet read (see StreamedUpload). */
export const MultipartBody = createParamDecorator(
  (limits: MultipartLimits, ctx: ExecutionContext) => new StreamedUpload(ctx.switchToHttp().getRequest<IncomingMessage>(), limits),
);
