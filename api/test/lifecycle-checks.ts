import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { Lifecycle } from '../src/common/lifecycle/lifecycle';

/**
 * What the migrations say about a table's status column: the values its CHECK constraint allows
 * (null when nothing constrains it) and its default. Read from the migration sources, so a
 * lifecycle spec fails when the database and the lifecycle drift apart. Only the up() half of each
 * migration counts: a down() re-creating an older constraint is not the current schema.
 */
export interface StatusColumn {
  checked: string[] | null;
  default: string | null;
}

export const MIGRATIONS_DIR = path.resolve(__dirname, '../../migrations');

const STATUS_CHECK = /CHECK\s*\(\s*status\s+IN\s*\(([^)]*)\)\s*\)/i;

function upHalf(source: string): string {
  const start = source.indexOf('async up(');
  const end = source.indexOf('async down(');
  return source.slice(start < 0 ? 0 : start, end < 0 ? undefined : end);
}

/** The text between the parentheses of `CREATE TABLE <table> (…)`, or null. */
function createBody(sql: string, table: string): string | null {
  const open = new RegExp(`CREATE TABLE ${table}\\s*\\(`, 'i').exec(sql);
  if (!open) return null;
  let depth = 1;
  for (let i = open.index + open[0].length; i < sql.length; i++) {
    if (sql[i] === '(') depth++;
    if (sql[i] === ')' && --depth === 0) return sql.slice(open.index + open[0].length, i);
  }
  throw new Error(`unbalanced CREATE TABLE ${table}`);
}

const values = (list: string): string[] => list.split(',').map((v) => v.trim().replace(/^'|'$/g, ''));

export function statusColumn(table: string, dir = MIGRATIONS_DIR): StatusColumn {
  const column: StatusColumn = { checked: null, default: null };
  let created = false;
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.ts'))
    .sort()) {
    const sql = upHalf(readFileSync(path.join(dir, file), 'utf8'));
    const body = createBody(sql, table);
    if (body !== null) {
      created = true;
      column.checked = STATUS_CHECK.exec(body) ? values(STATUS_CHECK.exec(body)![1]) : null;
      column.default = /\bstatus\s+text\b[^,]*?DEFAULT\s+'([^']*)'/i.exec(body)?.[1] ?? null;
    }
    // Later migrations may drop and re-add the constraint; statements run in file order.
    const alters = sql.matchAll(new RegExp(`ALTER TABLE ${table}\\s+(DROP|ADD) CONSTRAINT\\s+(\\w+)([^\`]*)`, 'gi'));
    for (const [, verb, name, rest] of alters) {
      if (verb.toUpperCase() === 'DROP' && /status/i.test(name)) column.checked = null;
      const check = verb.toUpperCase() === 'ADD' ? STATUS_CHECK.exec(rest) : null;
      if (check) column.checked = values(check[1]);
    }
  }
  if (!created) throw new Error(`no migration creates table ${table}`);
  return column;
}

/** Every allowed move as "from → to", sorted, to compare with the moves the services make. */
export function allowedMoves<S extends string>(lifecycle: Lifecycle<S>): string[] {
  return lifecycle.states.flatMap((from) => lifecycle.next(from).map((to) => `${from} → ${to}`)).sort();
}

/** The same form for a list of [from, to, where] rows. */
export const movesOf = (rows: ReadonlyArray<readonly [string, string, string]>): string[] =>
  [...new Set(rows.map(([from, to]) => `${from} → ${to}`))].sort();
