import { useEffect, useRef, useState } from 'react';
import { formatRemaining, type ServerClock } from '../lib/server-clock';

const ANNOUNCE_AT = [5 * 60_000, 60_000];
/** While the display shows zero, the server is asked at most this often. */
const ASK_EVERY_MS = 2_000;

/**
 * Shows the time left on the server's clock (as estimated by `clock`, which every fresh reading of
 * the attempt resynchronises) and announces 5 and 1 minutes left to screen readers. At zero it only
 * asks the page to check with the server: the countdown never ends an attempt.
 */
export function Countdown({
  deadline,
  clock,
  onZero,
  checking,
}: {
  deadline: string;
  clock: ServerClock;
  onZero: () => void;
  checking: boolean;
}) {
  const [left, setLeft] = useState(() => clock.remainingMs(deadline));
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef(new Set<number>());
  const lastAsked = useRef(0);

  useEffect(() => {
    const tick = () => {
      const ms = clock.remainingMs(deadline);
      setLeft(ms);
      for (const mark of ANNOUNCE_AT) {
        if (ms <= mark && ms > 0 && !announced.current.has(mark)) {
          announced.current.add(mark);
          setAnnouncement(`${mark / 60_000} minute${mark === 60_000 ? '' : 's'} remaining`);
        }
      }
      if (ms <= 0 && Date.now() - lastAsked.current >= ASK_EVERY_MS) {
        lastAsked.current = Date.now();
        onZero();
      }
    };
    tick();
    const timer = window.setInterval(tick, 500);
    return () => window.clearInterval(timer);
  }, [deadline, clock, onZero]);

  return (
    <div className={`countdown${left <= 5 * 60_000 ? ' countdown-low' : ''}`}>
      <span className="visually-hidden">Time remaining: </span>
      <span aria-hidden="true">Time left </span>
      <time dateTime={`PT${Math.ceil(left / 1000)}S`}>{formatRemaining(left)}</time>
      {checking && left <= 0 && <span> — checking the time with the server…</span>}
      <div role="status" aria-live="assertive" className="visually-hidden">
        {announcement}
      </div>
    </div>
  );
}
