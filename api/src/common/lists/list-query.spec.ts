import { BadRequestException } from '@nestjs/common';
import { csvField, toCsv } from './csv';
import { containsPattern, dayRange, utcDay } from './list-query';

describe('list queries', () => {
  it('reads two inclusive UTC days as a half-open instant range', () => {
    expect(dayRange('2026-03-01', '2026-03-31')).toEqual({
      start: new Date('2026-03-01T00:00:00Z'),
      end: new Date('2026-04-01T00:00:00Z'),
    });
    expect(dayRange(undefined, '2026-12-31')).toEqual({ start: undefined, end: new Date('2027-01-01T00:00:00Z') });
    expect(dayRange('2026-03-01', '2026-03-01').end).toEqual(new Date('2026-03-02T00:00:00Z'));
  });

  it('refuses a range backwards and a day that does not exist, naming the parameter', () => {
    expect(() => dayRange('2026-03-02', '2026-03-01', ['issuedFrom', 'issuedTo'])).toThrow('issuedFrom must not be after issuedTo');
    expect(() => utcDay('2026-02-29', 'from')).toThrow(BadRequestException);
    expect(() => utcDay('2026-02-29', 'from')).toThrow('from is not a real date: 2026-02-29');
    expect(utcDay('2028-02-29')).toEqual(new Date('2028-02-29T00:00:00Z'));
  });

  it('takes LIKE pattern characters literally', () => {
    expect(containsPattern('50%_off\\')).toBe('%50\\%\\_off\\\\%');
  });
});

describe('CSV', () => {
  it('quotes what needs quoting and writes numbers and dates plainly', () => {
    expect(toCsv([['a', 'b,c', 'say "hi"', 'two\nlines', 1.5, 2, null, new Date('2026-01-02T03:04:05Z')]])).toBe(
      'a,"b,c","say ""hi""","two\nlines",1.5,2,,2026-01-02T03:04:05.000Z\r\n',
    );
  });

  it('keeps a text cell a spreadsheet would run as a formula as text', () => {
    for (const cell of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '\rx'])
      expect(csvField(cell).replace(/^"/, '').startsWith("'")).toBe(true);
    expect(csvField(-2)).toBe('-2');
    expect(csvField('Ada Lovelace')).toBe('Ada Lovelace');
  });
});
