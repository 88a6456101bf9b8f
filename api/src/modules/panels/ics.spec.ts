import ICAL from 'ical.js';
import { buildIcs, escapeText, foldLine } from './ics';

const event = {
  method: 'REQUEST' as const,
  uid: 'b7c1d2e3-0000-4000-8000-000000000001@psf.example',
  sequence: 2,
  start: new Date('2027-03-28T07:00:00Z'),
  end: new Date('2027-03-28T08:30:00Z'),
  stamp: new Date('2027-03-01T10:00:00Z'),
  summary: 'CPAA panel interview, PSF v1.0',
  description: 'Join at the link; bring your portfolio.\nThree assessors; one chairs; questions follow the guide.',
  meetingUrl: 'https://meet.example.org/psf-panel-b7c1d2e3-0000-4000-8000-000000000001?lang=en&x=1',
  organizer: { name: 'PSF Certification', email: 'no-reply@psf.example' },
  attendees: [
    { name: 'Zoë Ångström-Łukasiewicz, "chair"', email: 'chair@psf.example', role: 'CHAIR' as const },
    { name: 'Candidate One', email: 'c1@psf.example', role: 'REQ-PARTICIPANT' as const },
  ],
};

describe('iCalendar invitations', () => {
  it('parse with an independent iCalendar parser with method, UID, SEQUENCE, times, link and attendees', () => {
    const text = buildIcs(event);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('method')).toBe('REQUEST');
    const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(vevent.uid).toBe(event.uid);
    expect(vevent.sequence).toBe(2);
    expect(vevent.startDate.toJSDate().toISOString()).toBe('2027-03-28T07:00:00.000Z');
    expect(vevent.endDate.toJSDate().toISOString()).toBe('2027-03-28T08:30:00.000Z');
    expect(vevent.description).toBe(event.description);
    expect(vevent.location).toBe(event.meetingUrl);
    expect(vevent.attendees.map((a) => [a.getParameter('cn'), a.getParameter('role'), a.getFirstValue()])).toEqual([
      ['Zoë Ångström-Łukasiewicz, chair', 'CHAIR', 'mailto:chair@psf.example'],
      ['Candidate One', 'REQ-PARTICIPANT', 'mailto:c1@psf.example'],
    ]);
  });

  it('write a cancellation with the same UID, status CANCELLED and CRLF line endings', () => {
    const text = buildIcs({ ...event, method: 'CANCEL', sequence: 3 });
    expect(text.split('\r\n').every((line) => !line.includes('\n'))).toBe(true);
    const calendar = new ICAL.Component(ICAL.parse(text));
    expect(calendar.getFirstPropertyValue('method')).toBe('CANCEL');
    const vevent = calendar.getFirstSubcomponent('vevent')!;
    expect(vevent.getFirstPropertyValue('uid')).toBe(event.uid);
    expect(vevent.getFirstPropertyValue('status')).toBe('CANCELLED');
    expect(vevent.getFirstPropertyValue('sequence')).toBe(3);
  });

  it('fold lines at 75 octets without splitting a multi-byte character', () => {
    const line = `DESCRIPTION:${'ü'.repeat(100)}`;
    const folded = foldLine(line).split('\r\n');
    expect(folded.every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    expect(folded.map((l, i) => (i ? l.slice(1) : l)).join('')).toBe(line);
  });

  it('escape TEXT: backslash, semicolon, comma and every kind of line break; other controls (C0, DEL, C1) removed', () => {
    expect(escapeText('a\\b;c,d')).toBe('a\\\\b\\;c\\,d');
    expect(escapeText('one\r\ntwo\nthree\rfour')).toBe('one\\ntwo\\nthree\\nfour');
    expect(escapeText('x\u0000\u0007\u000b\u000c\u001b\u007f\u0085\u009fy\tz')).toBe('xy z');
    expect(escapeText('Zoë Ångström')).toBe('Zoë Ångström');
  });

  it('keep injected properties out: a summary, a description or a name cannot start a line of its own', () => {
    const text = buildIcs({
      ...event,
      summary: 'Panel\rATTENDEE:mailto:evil@example.org',
      description: 'Hello\r\nEND:VEVENT\r\nBEGIN:VEVENT\u0000\u001b[31m',
      attendees: [
        { name: 'Mallory\r\nORGANIZER:mailto:evil@example.org\u0007"', email: 'm@psf.example', role: 'REQ-PARTICIPANT' as const },
      ],
    });
    const unfolded = text.replace(/\r\n /g, '');
    const lines = unfolded.split('\r\n');
    // No control character but the CRLF line ends survives anywhere in the file.
    // eslint-disable-next-line no-control-regex -- looking for exactly those
    expect(lines.every((l) => !/[\u0000-\u001f\u007f-\u009f]/.test(l))).toBe(true);
    expect(lines.filter((l) => l.startsWith('BEGIN:VEVENT'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('ATTENDEE'))).toHaveLength(1);
    expect(lines.filter((l) => l.startsWith('ORGANIZER'))).toHaveLength(1);
    const calendar = new ICAL.Component(ICAL.parse(text));
    const vevent = new ICAL.Event(calendar.getFirstSubcomponent('vevent')!);
    expect(vevent.summary).toBe('Panel\nATTENDEE:mailto:evil@example.org');
    expect(vevent.description).toBe('Hello\nEND:VEVENT\nBEGIN:VEVENT[31m');
    expect(vevent.attendees[0].getParameter('cn')).toBe('MalloryORGANIZER:mailto:evil@example.org');
  });

  it('fold every line of a long invitation to at most 75 octets', () => {
    const text = buildIcs({ ...event, description: 'ü€😀 '.repeat(200), summary: 'x'.repeat(300) });
    expect(text.split('\r\n').every((l) => Buffer.byteLength(l, 'utf8') <= 75)).toBe(true);
    const vevent = new ICAL.Event(new ICAL.Component(ICAL.parse(text)).getFirstSubcomponent('vevent')!);
    expect(vevent.description).toBe('ü€😀 '.repeat(200));
  });
});
