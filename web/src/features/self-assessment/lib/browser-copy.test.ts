import { describe, expect, it } from 'vitest';
import { MemoryStorage } from '../../../test-support/memory-storage';
import { BROWSER_COPY_KEY, clearBrowserCopy, newerCopy, readBrowserCopy, writeBrowserCopy } from './browser-copy';

describe('the browser copy', () => {
  it('reads back what was written, and nothing once cleared', () => {
    const storage = new MemoryStorage();
    expect(readBrowserCopy(storage)).toBeNull();
    const copy = { ratings: { 'D01.1': 3 as const, 'D08.5': 0 as const }, updatedAt: '2026-12-03T10:00:00.000Z' };
    writeBrowserCopy(storage, copy);
    expect(readBrowserCopy(storage)).toEqual(copy);
    clearBrowserCopy(storage);
    expect(readBrowserCopy(storage)).toBeNull();
  });

  it('survives a damaged copy: bad JSON is none, ratings off the scale are dropped', () => {
    const storage = new MemoryStorage();
    storage.setItem(BROWSER_COPY_KEY, '{not json');
    expect(readBrowserCopy(storage)).toBeNull();
    storage.setItem(
      BROWSER_COPY_KEY,
      JSON.stringify({ ratings: { 'D01.1': 2, 'D01.2': 9, 'D01.3': '1' }, updatedAt: '2026-12-03T10:00:00Z' }),
    );
    expect(readBrowserCopy(storage)?.ratings).toEqual({ 'D01.1': 2 });
    storage.setItem(BROWSER_COPY_KEY, JSON.stringify({ ratings: { 'D01.1': 2 } }));
    expect(readBrowserCopy(storage)).toBeNull();
  });
});

describe('newerCopy', () => {
  const older = { ratings: { 'D01.1': 1 as const }, updatedAt: '2026-12-01T10:00:00.000Z' };
  const newer = { ratings: { 'D01.1': 3 as const }, updatedAt: '2026-12-02T10:00:00.000Z' };

  it('shows the newer of the two, and says which it is', () => {
    expect(newerCopy(older, newer)).toEqual({ copy: newer, source: 'account' });
    expect(newerCopy(newer, older)).toEqual({ copy: newer, source: 'browser' });
  });

  it('shows whichever exists, and nothing when neither does', () => {
    expect(newerCopy(null, older)).toEqual({ copy: older, source: 'account' });
    expect(newerCopy(older, null)).toEqual({ copy: older, source: 'browser' });
    expect(newerCopy(null, null)).toBeNull();
  });
});
