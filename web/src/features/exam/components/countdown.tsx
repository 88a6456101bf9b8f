import { useEffect, useRef, useState } from 'react';
import { formatRemaining, remainingMs } from '../lib/server-clock';

const ANNOUNCE_AT = [5 * 60_000, 60_000];

/** Follows the server's clock (via the offset); announces 5 and 1 minutes left to screen readers. */
export function Countdown({ deadline, offset, onExpired }: { deadline: string; offset: number; onExpired: () => void }) {
  const [left, setLeft] = useState(() => remainingMs(deadline, offset));
  const [announcement, setAnnouncement] = useState('');
  const announced = useRef(new Set<number>());
  const expired = useRef(false);

  useEffect(() => {
    const tick = () => {
      const ms = remainingMs(deadline, offset);
      setLeft(ms);
      for (const mark of ANNOUNCE_AT) {
        if (ms <= mark && ms > 0 && !announced.current.has(mark)) {
          announced.current.add(mark);
          setAnnouncement(`${mark / 60_000} minute${mark === 60_000 ? '' : 's'} remaining`);
        }
      }
      if (ms <= 0 && !expired.current) {
        expired.current = true;
        onExpired();
      }
    };
    tick();
    const timer = window.setInterval(tick, 500);
    return () => window.clearInterval(timer);
  }, [deadline, offset, onExpired]);

  return (
    <div className={`countdown${left <= 5 * 60_000 ? ' countdown-low' : ''}`}>
      <span className="visually-hidden">Time remaining: </span>
      <span aria-hidden="true">Time left </span>
      <time dateTime={`PT${Math.ceil(left / 1000)}S`}>{formatRemaining(left)}</time>
      <div role="status" aria-live="assertive" className="visually-hidden">
        {announcement}
      </div>
    </div>
  );
}
