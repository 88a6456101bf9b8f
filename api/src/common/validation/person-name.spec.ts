import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { IsPersonName, personNameProblem } from './person-name';

class Named {
  @IsPersonName('fullName')
  fullName!: string;
}

describe('person names', () => {
  it.each(['Ada Lovelace', 'Zoë Ångström-Łukasiewicz', "Seán O'Brien", 'محمد عبد الله', '李小龙', 'José María de la Cruz'])(
    'accepts %s',
    (name) => {
      expect(personNameProblem(name)).toBeNull();
    },
  );

  it.each([
    ['a NUL', 'Ada\u0000Lovelace', '0000'],
    ['a newline', 'Ada\nLovelace', '000A'],
    ['an escape sequence', 'Ada\u001b[31m', '001B'],
    ['DEL', 'Ada\u007f', '007F'],
    ['a C1 control (NEL)', 'Ada\u0085', '0085'],
    ['a right-to-left override', 'Ada \u202egnp.exe', '202E'],
    ['a left-to-right embedding', '\u202aAda', '202A'],
    ['a first-strong isolate', 'Ada\u2068', '2068'],
    ['a pop directional isolate', 'Ada\u2069', '2069'],
    ['a right-to-left mark', 'Ada\u200f', '200F'],
    ['a left-to-right mark', 'Ada\u200e', '200E'],
    ['an Arabic letter mark', 'Ada\u061c', '061C'],
  ])('refuses %s with a message naming the character', (_what, name, code) => {
    expect(personNameProblem(name, 'fullName')).toBe(`fullName must not contain control or text-direction characters (found U+${code})`);
  });

  it('works as a class-validator decorator', () => {
    expect(validateSync(plainToInstance(Named, { fullName: 'Ada Lovelace' }))).toHaveLength(0);
    const [error] = validateSync(plainToInstance(Named, { fullName: 'Ada\u202eLovelace' }));
    expect(error.constraints).toEqual({ isPersonName: 'fullName must not contain control or text-direction characters (found U+202E)' });
  });
});
