/** iCalendar (RFC 5545) invitations for panel bookings, written by hand: the format is small and exact. */

export type IcsMethod = 'REQUEST' | 'CANCEL';

export interface IcsAttendee {
  name: string;
  email: string;
  role: 'CHAIR' | 'REQ-PARTICIPANT';
}

export interface IcsEvent {
  method: IcsMethod;
  /** Stable for the life of a booking, so calendars update or remove the same event. */
  uid: string;
  /** Raised on every change the recipient must see (new time, new panel, cancellation). */
  sequence: number;
  start: Date;
  end: Date;
  stamp: Date;
  summary: string;
  description: string;
  meetingUrl: string;
  organizer: { name: string; email: string };
  attendees: IcsAttendee[];
}

export function icsDateTime(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

// C0 controls (but for the newlines, escaped as \n), DEL and C1 controls: no TEXT or parameter value may carry them.
// eslint-disable-next-line no-control-regex -- control characters are exactly what must not reach a calendar
const CONTROLS = /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/** Removes control characters (a tab becomes a space) from a value that is not TEXT: a parameter, an address, a URL. */
export function withoutControls(value: string): string {
  return value
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(/[\r\n]/g, '');
}

/**
 * TEXT values (RFC 5545 §3.3.11): backslash, semicolon and comma are escaped, every line break (CRLF,
 * LF or a lone CR) becomes \n, a tab a space, and any other control character (C0, DEL, C1) is removed:
 * nothing a person typed can start a property or a component of its own.
 */
export function escapeText(value: string): string {
  return value
    .replace(/\t/g, ' ')
    .replace(CONTROLS, '')
    .replace(/\\/g, '\\\\')
    .replace(/;/g, '\\;')
    .replace(/,/g, '\\,')
    .replace(/\r\n|\r|\n/g, '\\n');
}

/** Lines longer than 75 octets are folded with CRLF + space, never inside a UTF-8 sequence (§3.1). */
export function foldLine(line: string): string {
  const out: string[] = [];
  let current = '';
  let octets = 0;
  for (const ch of line) {
    const size = Buffer.byteLength(ch, 'utf8');
    const limit = out.length === 0 ? 75 : 74; // continuation lines start with a space
    if (octets + size > limit) {
      out.push(current);
      current = '';
      octets = 0;
    }
    current += ch;
    octets += size;
  }
  out.push(current);
  return out.join('\r\n ');
}

/** A quoted parameter value holds no DQUOTE and no control character (§3.1, QSAFE-CHAR). */
function quoteParam(value: string): string {
  return `"${withoutControls(value).replace(/"/g, '')}"`;
}

export function buildIcs(event: IcsEvent): string {
  const lines = [
    'BEGIN:VCALENDAR',
    'VERSION:2.0',
    'PRODID:-//PSF Certification Platform//Panel interviews//EN',
    'CALSCALE:GREGORIAN',
    `METHOD:${event.method}`,
    'BEGIN:VEVENT',
    `UID:${event.uid}`,
    `SEQUENCE:${event.sequence}`,
    `DTSTAMP:${icsDateTime(event.stamp)}`,
    `DTSTART:${icsDateTime(event.start)}`,
    `DTEND:${icsDateTime(event.end)}`,
    `SUMMARY:${escapeText(event.summary)}`,
    `DESCRIPTION:${escapeText(event.description)}`,
    `LOCATION:${escapeText(event.meetingUrl)}`,
    `URL:${withoutControls(event.meetingUrl)}`,
    `STATUS:${event.method === 'CANCEL' ? 'CANCELLED' : 'CONFIRMED'}`,
    'TRANSP:OPAQUE',
    `ORGANIZER;CN=${quoteParam(event.organizer.name)}:mailto:${withoutControls(event.organizer.email)}`,
    ...event.attendees.map(
      (a) => `ATTENDEE;CN=${quoteParam(a.name)};ROLE=${a.role};PARTSTAT=NEEDS-ACTION;RSVP=FALSE:mailto:${withoutControls(a.email)}`,
    ),
    'END:VEVENT',
    'END:VCALENDAR',
  ];
  return lines.map(foldLine).join('\r\n') + '\r\n';
}
