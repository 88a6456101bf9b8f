import { csvCell, toSafeCsv } from './csv';

describe('CSV cells a spreadsheet opens safely', () => {
  it.each(['=SUM(A1:A9)', '+1', '-1', '@cmd', '\tx', '\rx'])('a cell starting %j is written as text with a leading quote', (v) => {
    expect(csvCell(v).replace(/^"|"$/g, '').startsWith(`'${v[0]}`)).toBe(true);
  });

  it('quotes cells holding a comma, a quote or a line break, doubling the quotes', () => {
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=1,2')).toBe(`"'=1,2"`);
  });

  it('writes plain values as they are, null as an empty cell and dates in ISO form', () => {
    expect(csvCell('user.created')).toBe('user.created');
    expect(csvCell(42)).toBe('42');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2026-01-02T03:04:05Z'))).toBe('2026-01-02T03:04:05.000Z');
  });

  it('joins rows with CRLF and ends with one', () => {
    expect(
      toSafeCsv([
        ['a', 'b'],
        [1, '=x'],
      ]),
    ).toBe("a,b\r\n1,'=x\r\n");
  });
});
