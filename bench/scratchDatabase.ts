import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server a bench makes its scratch database on: DATABASE_URL, else the local PostgreSQL as user postgres. */
export const ADMIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Run `use` with the URL of a new, empty database (`deflect_bench_<random>`),
 * dropped afterwards even when `use` throws: a bench never leaves gigabytes
 * behind, and two benches never share one.
 */
export async function withScratchDatabase<T>(use: (url: string) => Promise<T>): Promise<T> {
  const name = `deflect_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  try {
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    return await use(url.toString());
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  }
}
