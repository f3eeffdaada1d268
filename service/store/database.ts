// The store's connection: PGlite embedded (a folder under the project, or memory; on a thread of
// its own) by default, Postgres through `pg` when a URL is given. Both speak the same SQL; this
// module hides only how a query, a transaction and the single-writer lock are spelled on each.
import { mkdir, open, readFile, rm } from "node:fs/promises";
import path from "node:path";

import pg from "pg";

import { type PgliteThread, startPgliteThread } from "./pglite-thread.js";

export type Row = Record<string, unknown>;

export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: unknown[]): Promise<T[]>;
}

export interface Database extends Queryable {
  readonly kind: "pglite" | "postgres";
  /** Several statements, no parameters (migrations). */
  exec(sql: string): Promise<void>;
  /** Runs `work` in one transaction: all of it is committed, or none (also after `kill -9`). */
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  /**
   * Takes the store's writer lock (Postgres: a session advisory lock; PGlite: a lock file beside
   * its folder, taken when the folder is opened). Throws {@link StoreLockedError} when another
   * indexer holds it.
   */
  lockWriter(): Promise<void>;
  close(): Promise<void>;
}

export class StoreLockedError extends Error {
  override name = "StoreLockedError";
}

export interface DatabaseOptions {
  /** postgres://… : use Postgres. Otherwise PGlite. */
  url?: string;
  /** PGlite's data folder; omitted: in memory. */
  dataDir?: string;
}

/** Writer lock key: "intentkit" as a number, so that other users of the same database keep theirs. */
const WRITER_LOCK_KEY = 0x696e74656e74n;

export async function openDatabase(options: DatabaseOptions = {}): Promise<Database> {
  if (options.url !== undefined && options.url !== "") return openPostgres(options.url);
  return openPglite(options.dataDir);
}

async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Opening the folder is already writing to it: the lock comes first.
  let lockFile: string | undefined;
  if (dataDir !== undefined) {
    await mkdir(dataDir, { recursive: true });
    lockFile = await lockFolder(dataDir);
  }
  let db: PgliteThread;
  try {
    db = await startPgliteThread(dataDir);
  } catch (error) {
    if (lockFile !== undefined) await rm(lockFile, { force: true });
    throw error;
  }
  return {
    kind: "pglite",
    query: db.query,
    exec: db.exec,
    transaction: db.transaction,
    lockWriter: async () => {}, // taken when the folder was opened
    close: async () => {
      await db.close();
      if (lockFile !== undefined) await rm(lockFile, { force: true });
    },
  };
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * The embedded store's writer lock: a file beside the folder holding the owner's PID, created
 * exclusively. A lock whose process is gone (a `kill -9`) is taken over.
 */
export async function lockFolder(dataDir: string): Promise<string> {
  const file = `${path.resolve(dataDir)}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, "wx");
      await handle.writeFile(String(process.pid));
      await handle.close();
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const owner = Number((await readFile(file, "utf8").catch(() => "")).trim());
      if (Number.isInteger(owner) && owner > 0 && alive(owner)) {
        throw new StoreLockedError(
          `another indexer (pid ${owner}) is writing to ${dataDir}: stop it first (one writer per store)`,
        );
      }
      await rm(file, { force: true }); // stale: its process is gone
    }
  }
  throw new StoreLockedError(`cannot take the writer lock of ${dataDir}: ${file} keeps coming back`);
}

// BIGINT columns hold block numbers, log indexes and gas: numbers, as PGlite returns them.
const types = {
  getTypeParser: (oid: number, format?: "text" | "binary") =>
    oid === pg.types.builtins.INT8 ? Number : pg.types.getTypeParser(oid, format ?? "text"),
};

async function openPostgres(url: string): Promise<Database> {
  // UTC sessions: times read back as text are the same on every server and on PGlite.
  const pool = new pg.Pool({ connectionString: url, max: 8, types, options: "-c TimeZone=UTC" });
  // Fail here, with the URL's host, rather than at the first query.
  const probe = await pool.connect().catch((error: Error) => {
    void pool.end();
    throw new Error(`cannot connect to Postgres at ${redact(url)}: ${error.message}`);
  });
  probe.release();
  // An idle connection that the server closed (a restart, a failover): the pool drops it and the
  // next query opens another. Without a listener it would end the process.
  pool.on("error", () => {});
  let lockClient: pg.PoolClient | undefined;
  /** Set when the connection holding the writer lock dropped: the lock is gone with it. */
  let lockLost: Error | undefined;
  return {
    kind: "postgres",
    query: async (sql, params) => (await pool.query(sql, params)).rows,
    exec: async (sql) => {
      await pool.query(sql);
    },
    transaction: async (work) => {
      if (lockLost !== undefined) throw lockLost;
      const client = await pool.connect();
      try {
        await client.query("BEGIN");
        const result = await work({ query: async (sql, params) => (await client.query(sql, params)).rows });
        await client.query("COMMIT");
        return result;
      } catch (error) {
        await client.query("ROLLBACK").catch(() => {});
        throw error;
      } finally {
        client.release();
      }
    },
    lockWriter: async () => {
      if (lockClient !== undefined) return;
      const client = await pool.connect();
      const { rows } = await client.query<{ locked: boolean }>("SELECT pg_try_advisory_lock($1) AS locked", [
        WRITER_LOCK_KEY.toString(),
      ]);
      if (rows[0]?.locked !== true) {
        client.release();
        throw new StoreLockedError(
          `another indexer is writing to ${redact(url)}: stop it first (one writer per store)`,
        );
      }
      client.on("error", (error) => {
        lockLost = new StoreLockedError(
          `lost the writer lock of ${redact(url)} (its connection dropped: ${error.message}): another indexer may now write; restart this one`,
        );
      });
      lockClient = client;
    },
    close: async () => {
      lockClient?.release();
      await pool.end();
    },
  };
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== "") parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the configured database";
  }
}
