import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { MonthCalendar } from './month-calendar';
import { TimeZoneCombobox } from './time-zone-combobox';

// The SPA's unit tests run without a DOM: the components are rendered to markup and read back with regexes.
const buttons = (html: string) => [...html.matchAll(/<button[^>]*data-date="[^"]+"[^>]*>/g)].map((m) => m[0]);
const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1];

describe('MonthCalendar', () => {
  const html = renderToStaticMarkup(
    <MonthCalendar
      label="Days with free times (Europe/Berlin)"
      counts={
        new Map([
          ['2026-12-14', 3],
          ['2026-12-15', 1],
        ])
      }
      selected="2026-12-14"
      onSelect={() => undefined}
    />,
  );

  it('shows the selected day’s month, every day a labelled button, Monday first', () => {
    expect(html).toContain('December 2026');
    expect(buttons(html)).toHaveLength(31);
    expect(html).toMatch(/<th scope="col" abbr="Monday">Mon<\/th>/);
    expect(html).toContain('aria-label="Days with free times (Europe/Berlin)"');
  });

  it('puts only the selected day in the tab order, and marks days with and without free times', () => {
    const tabbable = buttons(html).filter((b) => attr(b, 'tabindex') === '0');
    expect(tabbable.map((b) => attr(b, 'data-date'))).toEqual(['2026-12-14']);
    const day = (date: string) => buttons(html).find((b) => attr(b, 'data-date') === date)!;
    expect(attr(day('2026-12-14'), 'aria-label')).toBe('Monday 14 December: 3 free times');
    expect(attr(day('2026-12-14'), 'aria-pressed')).toBe('true');
    expect(attr(day('2026-12-15'), 'aria-label')).toBe('Tuesday 15 December: 1 free time');
    expect(attr(day('2026-12-15'), 'aria-pressed')).toBe('false');
    expect(attr(day('2026-12-16'), 'aria-label')).toBe('Wednesday 16 December: no free times');
    expect(attr(day('2026-12-16'), 'aria-disabled')).toBe('true');
  });
});

describe('TimeZoneCombobox', () => {
  it('is a labelled, collapsed combobox holding the current zone', () => {
    const html = renderToStaticMarkup(<TimeZoneCombobox label="Your time zone" value="Asia/Tokyo" onChange={() => undefined} />);
    const input = /<input[^>]*>/.exec(html)![0];
    expect(attr(input, 'role')).toBe('combobox');
    expect(attr(input, 'aria-expanded')).toBe('false');
    expect(attr(input, 'aria-autocomplete')).toBe('list');
    expect(attr(input, 'value')).toBe('Asia/Tokyo');
    const label = /<label for="([^"]+)">Your time zone<\/label>/.exec(html);
    expect(label?.[1]).toBe(attr(input, 'id'));
    expect(html).not.toContain('role="listbox"');
  });
});
