/** An instant for people: with the time when it is still ahead (an exam's end, an interview), the day alone when past. */
export function When({ at, now = new Date() }: { at: string; now?: Date }) {
  const date = new Date(at);
  const text =
    date > now
      ? date.toLocaleString(undefined, { dateStyle: 'long', timeStyle: 'short' })
      : date.toLocaleDateString(undefined, { year: 'numeric', month: 'long', day: 'numeric' });
  return <time dateTime={at}>{text}</time>;
}
