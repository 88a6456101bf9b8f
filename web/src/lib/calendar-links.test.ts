import { describe, expect, it } from 'vitest';
import { googleCalendarUrl, outlookCalendarUrl } from './calendar-links';

const EVENT = {
  title: 'CPAA panel interview',
  start: '2026-12-14T09:00:00.000Z',
  end: '2026-12-14T10:30:00.000Z',
  location: 'https://meet.jit.si/PSF-Panel-abc',
  details: 'Join: https://meet.jit.si/PSF-Panel-abc\nDetails & changes: https://psf.example/candidate/cpaa/interview',
};

describe('add-to-calendar links', () => {
  it('Google Calendar: a TEMPLATE with UTC start/end, title, details and location', () => {
    const url = new URL(googleCalendarUrl(EVENT));
    expect(url.origin + url.pathname).toBe('https://calendar.google.com/calendar/render');
    expect(url.searchParams.get('action')).toBe('TEMPLATE');
    expect(url.searchParams.get('dates')).toBe('20261214T090000Z/20261214T103000Z');
    expect(url.searchParams.get('text')).toBe(EVENT.title);
    expect(url.searchParams.get('details')).toBe(EVENT.details);
    expect(url.searchParams.get('location')).toBe(EVENT.location);
  });

  it('Outlook.com: a compose deep link with ISO start/end', () => {
    const url = new URL(outlookCalendarUrl(EVENT));
    expect(url.hostname).toBe('outlook.live.com');
    expect(url.searchParams.get('rru')).toBe('addevent');
    expect(url.searchParams.get('startdt')).toBe(EVENT.start);
    expect(url.searchParams.get('enddt')).toBe(EVENT.end);
    expect(url.searchParams.get('subject')).toBe(EVENT.title);
    expect(url.searchParams.get('body')).toBe(EVENT.details);
    expect(url.searchParams.get('location')).toBe(EVENT.location);
  });
});
