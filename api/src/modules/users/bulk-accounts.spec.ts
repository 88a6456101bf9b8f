import { bulkAccountsProblem, fromPattern } from './bulk-accounts';

const request = {
  count: 10_000,
  first: 1,
  emailPattern: 'bench-{n}@bench.test',
  namePattern: 'Bench Candidate {n}',
  password: 'bench password 1',
};

describe('users:bulk-create requests', () => {
  it('numbers every account: {n} in the address and the name', () => {
    expect(fromPattern(request.emailPattern, 42)).toBe('bench-42@bench.test');
    expect(fromPattern('x-{n}-{n}@b.test', 7)).toBe('x-7-7@b.test');
    expect(bulkAccountsProblem(request)).toBeNull();
  });

  it.each([
    [{ count: 0 }, /--count/],
    [{ count: 1.5 }, /--count/],
    [{ count: 100_001 }, /--count/],
    [{ first: -1 }, /--first/],
    [{ emailPattern: 'bench@bench.test' }, /must contain \{n\}/],
    [{ emailPattern: 'bench {n}@bench' }, /valid email addresses/],
    [{ namePattern: ' ' }, /--name-pattern/],
    [{ namePattern: 'Bench\u202e {n}' }, /text-direction/],
    [{ password: 'short' }, /--password/],
  ])('refuses %j, naming the option', (change, message) => {
    expect(bulkAccountsProblem({ ...request, ...change })).toMatch(message);
  });
});
