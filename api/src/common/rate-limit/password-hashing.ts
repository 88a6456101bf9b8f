import { TooManyRequestsException } from '../errors/too-many-requests.exception';

/** How long a client refused by a full queue is asked to wait. */
const BUSY_RETRY_AFTER_SECONDS = 5;

/**
 * A counting semaphore with a bounded queue: at most `concurrency` tasks run at once, at most `queue`
 * more wait (first come, first served), and a task beyond that is refused at once (429 with Retry-After).
 */
export class BoundedSemaphore {
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(
    private concurrency: number,
    private queue: number,
  ) {}

  configure(concurrency: number, queue: number): void {
    this.concurrency = concurrency;
    this.queue = queue;
  }

  get stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.running >= this.concurrency) {
      if (this.waiting.length >= this.queue) {
        throw new TooManyRequestsException(
          `The server is busy checking passwords; try again in ${BUSY_RETRY_AFTER_SECONDS} seconds`,
          BUSY_RETRY_AFTER_SECONDS,
        );
      }
      await new Promise<void>((resolve) => this.waiting.push(resolve));
    } else {
      this.running += 1;
    }
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      // The slot passes straight to the next waiter; only when none waits is it freed.
      if (next) next();
      else this.running -= 1;
    }
  }
}

/**
 * Process-wide cap on concurrent password hashing (Argon2 is made to be costly): registrations, resets and
 * sign-ins cannot together exhaust the CPU. PASSWORD_HASH_CONCURRENCY and PASSWORD_HASH_QUEUE set it (the
 * services that hash call `configure` with the parsed config).
 */
export const passwordHashing = new BoundedSemaphore(4, 64);
