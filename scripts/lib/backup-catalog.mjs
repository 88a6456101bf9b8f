// What backup and restore read from pg_catalog: the public schema's tables and columns, their foreign keys
// (for the order tables are written and loaded in), sequences, and user triggers.

/** A client of its own on `url` (COPY needs the connection to itself). */
export async function connect(url) {
  const { default: pg } = await import('pg');
  const client = new pg.Client({ connectionString: url, application_name: 'psf-backup' });
  await client.connect();
  return client;
}

/** host:port/database of a URL, never its credentials. */
export const where = (url) => {
  const u = new URL(url);
  return `${u.hostname}:${u.port || 5432}${u.pathname}`;
};

/** A quoted identifier. */
export const ident = (name) => `"${String(name).replace(/"/g, '""')}"`;

/** The public schema's tables, by name, with the columns COPY reads and writes (generated ones excluded). */
export async function listTables(client) {
  const { rows } = await client.query(`
    SELECT c.relname AS name,
           coalesce(json_agg(json_build_array(a.attname, format_type(a.atttypid, a.atttypmod)) ORDER BY a.attnum)
                    FILTER (WHERE a.attnum > 0), '[]') AS columns
      FROM pg_class c
      LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped AND a.attgenerated = ''
     WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r'
     GROUP BY c.relname
     ORDER BY c.relname`);
  return rows;
}

/** Foreign keys between public tables: constraint name, the table holding it, the table it references. */
export async function foreignKeys(client) {
  const { rows } = await client.query(`
    SELECT con.conname AS name, child.relname AS "table", parent.relname AS "references", con.condeferrable AS deferrable
      FROM pg_constraint con
      JOIN pg_class child ON child.oid = con.conrelid
      JOIN pg_class parent ON parent.oid = con.confrelid
     WHERE con.contype = 'f' AND child.relnamespace = 'public'::regnamespace AND parent.relnamespace = 'public'::regnamespace
     ORDER BY child.relname, con.conname`);
  return rows;
}

/**
 * Tables in an order where each comes after the tables it references, so a restore can load them one after
 * another with every foreign key checked as it goes. A cycle (items ↔ item_versions) is broken at the table
 * with the fewest references still unmet (then by name); the restore defers the constraints it leaves pointing forward.
 */
export function dependencyOrder(names, keys) {
  const waitingOn = new Map(names.map((n) => [n, new Set()]));
  for (const k of keys)
    if (k.table !== k.references && waitingOn.has(k.table) && waitingOn.has(k.references)) waitingOn.get(k.table).add(k.references);
  const order = [];
  while (waitingOn.size) {
    const ready = [...waitingOn].filter(([, deps]) => deps.size === 0).map(([n]) => n);
    const next = ready.length ? ready.sort() : [[...waitingOn].sort(([a, x], [b, y]) => x.size - y.size || (a < b ? -1 : 1))[0][0]];
    for (const name of next) {
      order.push(name);
      waitingOn.delete(name);
      for (const deps of waitingOn.values()) deps.delete(name);
    }
  }
  return order;
}

/** Sequences in the public schema, with the table that owns each (serial/identity columns), if any. */
export async function listSequences(client) {
  const { rows } = await client.query(`
    SELECT s.relname AS name, t.relname AS "table"
      FROM pg_class s
      LEFT JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass AND d.refclassid = 'pg_class'::regclass
                           AND d.deptype IN ('a', 'i')
      LEFT JOIN pg_class t ON t.oid = d.refobjid
     WHERE s.relnamespace = 'public'::regnamespace AND s.relkind = 'S'
     ORDER BY s.relname`);
  return rows;
}

/** The enabled user (non-internal) triggers, and whether each fires on INSERT or on DELETE. */
export async function userTriggers(client) {
  const { rows } = await client.query(`
    SELECT c.relname AS "table", t.tgname AS name, t.tgtype & 4 <> 0 AS "onInsert", t.tgtype & 8 <> 0 AS "onDelete"
      FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
     WHERE NOT t.tgisinternal AND t.tgenabled <> 'D' AND c.relnamespace = 'public'::regnamespace
     ORDER BY c.relname, t.tgname`);
  return rows;
}
