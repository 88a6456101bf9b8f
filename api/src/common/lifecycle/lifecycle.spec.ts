import { ConflictException } from '@nestjs/common';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { statusColumn } from '../../../test/lifecycle-checks';
import { toErrorBody } from '../errors/http-exception.filter';
import { defineLifecycle, LifecycleError } from './lifecycle';

const STATES = ['submitted', 'adjudication', 'decided'] as const;
type State = (typeof STATES)[number];
const lifecycle = defineLifecycle('submission', STATES, {
  submitted: ['adjudication', 'decided'],
  adjudication: ['decided'],
  decided: [],
});

// Checked by the compiler (ts-jest type-checks this file): each marked line must really be a type error.
function movesAreTyped(): void {
  // @ts-expect-error a misspelt target is not silently a new state
  defineLifecycle('attempt', ['in_progress', 'submitted'] as const, { in_progress: ['submited'], submitted: [] });
  // @ts-expect-error every state must say where it may go, even if nowhere
  defineLifecycle('attempt', ['in_progress', 'submitted'] as const, { in_progress: ['submitted'] });
  // @ts-expect-error a state outside the lifecycle cannot be asked about
  lifecycle.can('submitted', 'archived');
}
void movesAreTyped;

describe('defineLifecycle', () => {
  it('answers which moves are allowed, what may follow a state and what may precede one', () => {
    expect(lifecycle.can('submitted', 'adjudication')).toBe(true);
    expect(lifecycle.can('adjudication', 'submitted')).toBe(false);
    expect(lifecycle.next('submitted')).toEqual(['adjudication', 'decided']);
    expect(lifecycle.from('decided')).toEqual(['submitted', 'adjudication']);
    expect(lifecycle.from('submitted')).toEqual([]);
  });

  it('calls a state final when nothing may follow it', () => {
    expect(STATES.filter(lifecycle.isFinal)).toEqual(['decided']);
  });

  it('refuses a move with a 409 naming the aggregate and both states', () => {
    let caught: unknown;
    try {
      lifecycle.assert('decided', 'submitted');
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(LifecycleError);
    expect(caught).toBeInstanceOf(ConflictException);
    expect(caught).toMatchObject({ aggregate: 'submission', from: 'decided', to: 'submitted' });
    expect(toErrorBody(caught)).toEqual({
      statusCode: 409,
      error: 'Conflict',
      message: 'A submission cannot move from "decided" to "submitted"',
    });
    expect(() => lifecycle.assert('submitted', 'decided')).not.toThrow();
  });

  it('says "An" before a vowel', () => {
    const error = new LifecycleError('attempt', 'submitted', 'in_progress');
    expect(error.message).toBe('An attempt cannot move from "submitted" to "in_progress"');
  });

  it('treats writing the current status again as no move (callers skip it as a repeat)', () => {
    expect(lifecycle.can('adjudication', 'adjudication')).toBe(false);
    expect(() =>
      defineLifecycle('attempt', ['in_progress', 'submitted'] as const, { in_progress: ['in_progress', 'submitted'], submitted: [] }),
    ).toThrow('attempt lifecycle: "in_progress" lists itself as a move');
  });

  it('parses a status read from the database, and calls an unknown one a data fault rather than a conflict', () => {
    expect(lifecycle.parse('adjudication')).toBe('adjudication');
    expect(() => lifecycle.parse('archived')).toThrow('Unknown submission status "archived"');
    expect(() => lifecycle.parse('archived')).not.toThrow(ConflictException);
    // a value that slipped past the types (a raw row) is never allowed to move, nor final
    expect(lifecycle.can('archived' as State, 'decided')).toBe(false);
    expect(lifecycle.isFinal('archived' as State)).toBe(false);
    expect(lifecycle.next('archived' as State)).toEqual([]);
  });

  it('refuses, when it is built, moves that the types would have caught (a cast got round them)', () => {
    const states = ['a', 'b'] as const;
    expect(() => defineLifecycle('thing', states, { a: ['c' as 'b'], b: [] })).toThrow('thing lifecycle: "a" moves to unknown state "c"');
    const exactly = 'thing lifecycle: the moves must list exactly the states a, b';
    expect(() => defineLifecycle('thing', states, { a: [] } as unknown as Record<'a' | 'b', []>)).toThrow(exactly);
    expect(() => defineLifecycle('thing', states, { a: [], b: [], c: [] } as Record<'a' | 'b', []>)).toThrow(exactly);
  });
});

describe('statusColumn (how the lifecycle specs read the migrations)', () => {
  const migration = (up: string, down = '') => `export class M {\n  async up(q) {\n${up}\n  }\n  async down(q) {\n${down}\n  }\n}\n`;
  const dir = mkdtempSync(path.join(tmpdir(), 'lifecycle-migrations-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  writeFileSync(
    path.join(dir, '1-create.ts'),
    migration(
      "await q.query(`CREATE TABLE things (id uuid, status text NOT NULL DEFAULT 'new'\n" +
        " CHECK (status IN ('new', 'done')), CHECK (id IS NOT NULL))`);\n" +
        "await q.query(`CREATE TABLE loose (status text NOT NULL DEFAULT 'x')`);",
    ),
  );
  writeFileSync(
    path.join(dir, '2-widen.ts'),
    migration(
      'await q.query(`ALTER TABLE things DROP CONSTRAINT things_status_check`);\n' +
        "await q.query(`ALTER TABLE things ADD CONSTRAINT things_status_known CHECK (status IN ('new', 'held', 'done'))`);",
      "await q.query(`ALTER TABLE things ADD CONSTRAINT things_status_known CHECK (status IN ('new', 'done'))`);",
    ),
  );

  it('follows later migrations that drop and re-add the constraint, ignoring what down() would restore', () => {
    expect(statusColumn('things', dir)).toEqual({ checked: ['new', 'held', 'done'], default: 'new' });
  });

  it('reports an unconstrained column as null, and a table no migration creates as an error', () => {
    expect(statusColumn('loose', dir)).toEqual({ checked: null, default: 'x' });
    expect(() => statusColumn('nowhere', dir)).toThrow('no migration creates table nowhere');
  });
});
