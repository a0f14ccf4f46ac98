// Keeps the log in one SQLite database through `node:sqlite`, the only
// runtime-specific import of the stores (Deno ≥ 2.2 and Bun ≥ 1.4 both ship
// it). A group of changes is one transaction, so the group costs one fsync.

import { DatabaseSync, type StatementSync } from "node:sqlite";
import { setImmediate } from "node:timers";
import type {
  Backend,
  Change,
  StoredEntry,
  StoredProducer,
  StoredStream,
  StoredStreamState,
} from "./backend.ts";
import { isJsonContentType } from "./_log_rules.ts";
import * as sql from "./_sqlite_schema.ts";

type Row = Record<string, unknown>;

/** How long a write waits for a lock held by another connection before failing. */
const BUSY_TIMEOUT_MS = 5000;

interface Statements {
  readonly readEntries: StatementSync;
  readonly insertStream: StatementSync;
  readonly insertEntry: StatementSync;
  readonly updateTail: StatementSync;
  readonly upsertProducer: StatementSync;
  readonly softDelete: StatementSync;
  readonly dropEntries: StatementSync;
  readonly dropProducers: StatementSync;
  readonly dropStream: StatementSync;
  readonly selectStreams: StatementSync;
  readonly selectProducers: StatementSync;
}

interface Connection {
  readonly db: DatabaseSync;
  readonly statements: Statements;
  /** Whether each open stream counts bytes (else messages), to tell where entries end. */
  readonly bytes: Map<number, boolean>;
}

/**
 * A {@linkcode Backend} over one SQLite database file, in WAL mode with every
 * commit synced. Commit calls made in one turn of the event loop share one
 * transaction; `commits` counts the transactions.
 *
 * @example
 * ```ts
 * import { SqliteBackend } from "./sqlite_backend.ts";
 * const backend = new SqliteBackend("/tmp/streams.db");
 * const streams = await backend.open();
 * await backend.close();
 * ```
 */
export class SqliteBackend implements Backend {
  readonly #path: string;
  #connection: Connection | undefined;
  #commits = 0;
  /** Commit calls waiting for the next transaction. */
  #queue: QueuedCommit[] = [];
  /** Settles once the queued calls are committed or rejected. */
  #drained: Promise<void> | undefined;

  /** A backend over the database at `path` (created on open if missing). */
  constructor(path: string) {
    this.#path = path;
  }

  /** How many transactions `commit` has made durable: one per group of changes. */
  get commits(): number {
    return this.#commits;
  }

  /** Opens the database (creating or migrating its schema) and loads every stream. */
  open(): Promise<StoredStreamState[]> {
    try {
      this.#connection ??= connect(this.#path);
      return Promise.resolve(load(this.#connection));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Commits the changes, with those of other calls in the same turn, in one transaction. */
  commit(changes: readonly Change[]): Promise<void> {
    if (this.#connection === undefined) return Promise.reject(notOpen());
    if (changes.length === 0) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.#queue.push({ changes, resolve, reject });
      // node:sqlite syncs on the JavaScript thread, so no write can arrive
      // while a commit runs. Committing in the check phase instead lets every
      // request read in this turn of the event loop queue its write behind
      // this commit, and the LogStore hands them over as the next group. Run at
      // once, each write that arrives in its own I/O callback costs an fsync.
      this.#drained ??= new Promise<void>((done) =>
        setImmediate(() => {
          this.#drained = undefined;
          this.#flush();
          done();
        })
      );
    });
  }

  /** Commits every queued call in one transaction. */
  #flush(): void {
    const calls = this.#queue;
    this.#queue = [];
    try {
      transact(this.#open(), calls.flatMap((call) => call.changes));
      this.#commits++;
    } catch (error) {
      for (const call of calls) call.reject(error);
      return;
    }
    for (const call of calls) call.resolve();
  }

  /** Entries of stream `key` ending after `offset`, from one search of the primary key. */
  read(key: number, offset: number, maxEntries: number): Promise<StoredEntry[]> {
    try {
      const { statements, bytes } = this.#open();
      if (!(maxEntries > 0)) return Promise.resolve([]);
      const isBytes = bytes.get(key) ?? false;
      // One row more, in case the first one ends at `offset` and is left out.
      const limit = Number.isSafeInteger(maxEntries) ? maxEntries + 1 : -1;
      const rows = statements.readEntries.all(key, offset, limit) as Row[];
      const entries = rows.map((row): StoredEntry => ({
        offset: row.offset as number,
        data: row.data as Uint8Array,
      }));
      const first = entries[0];
      if (first && first.offset + (isBytes ? first.data.length : 1) <= offset) entries.shift();
      return Promise.resolve(entries.slice(0, maxEntries));
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Closes the database once queued commits are done; `open` may follow. */
  async close(): Promise<void> {
    while (this.#drained) await this.#drained;
    const connection = this.#connection;
    this.#connection = undefined;
    connection?.db.close();
  }

  #open(): Connection {
    if (this.#connection === undefined) throw notOpen();
    return this.#connection;
  }
}

interface QueuedCommit {
  readonly changes: readonly Change[];
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

function notOpen(): Error {
  return new Error("The SQLite backend is not open");
}

function connect(path: string): Connection {
  const db = new DatabaseSync(path);
  try {
    db.exec(`PRAGMA busy_timeout = ${BUSY_TIMEOUT_MS}`);
    db.exec("PRAGMA journal_mode = WAL");
    // FULL syncs the WAL on every commit. NORMAL would sync only at checkpoints,
    // so a power loss could take back commits already acknowledged (LOG-APPEND-4).
    db.exec("PRAGMA synchronous = FULL");
    migrate(db);
    return { db, statements: prepare(db), bytes: new Map() };
  } catch (error) {
    db.close();
    throw error;
  }
}

function migrate(db: DatabaseSync): void {
  const version = (db.prepare("PRAGMA user_version").get() as Row).user_version as number;
  if (version > sql.SCHEMA_VERSION) {
    throw new Error(
      `The database has schema version ${version}; this agent-stream reads up to ${sql.SCHEMA_VERSION}`,
    );
  }
  if (version === sql.SCHEMA_VERSION) return;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (let v = version; v < sql.SCHEMA_VERSION; v++) db.exec(sql.MIGRATIONS[v]);
    db.exec(`PRAGMA user_version = ${sql.SCHEMA_VERSION}`);
    db.exec("COMMIT");
  } catch (error) {
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
}

function prepare(db: DatabaseSync): Statements {
  return {
    readEntries: db.prepare(sql.READ_ENTRIES),
    insertStream: db.prepare(sql.INSERT_STREAM),
    insertEntry: db.prepare(sql.INSERT_ENTRY),
    updateTail: db.prepare(sql.UPDATE_TAIL),
    upsertProducer: db.prepare(sql.UPSERT_PRODUCER),
    softDelete: db.prepare(sql.SOFT_DELETE),
    dropEntries: db.prepare(sql.DROP_ENTRIES),
    dropProducers: db.prepare(sql.DROP_PRODUCERS),
    dropStream: db.prepare(sql.DROP_STREAM),
    selectStreams: db.prepare(sql.SELECT_STREAMS),
    selectProducers: db.prepare(sql.SELECT_PRODUCERS),
  };
}

/** Applies changes in one transaction: all of them durable on return, or none. */
function transact(connection: Connection, changes: readonly Change[]): void {
  const { db } = connection;
  db.exec("BEGIN IMMEDIATE");
  try {
    for (const change of changes) apply(connection, change);
    db.exec("COMMIT");
  } catch (error) {
    // SQLite ends the transaction itself after some errors (a full disk, say).
    if (db.isTransaction) db.exec("ROLLBACK");
    throw error;
  }
  for (const change of changes) {
    if (change.type === "create") {
      connection.bytes.set(change.stream.key, !isJsonContentType(change.stream.contentType));
    } else if (change.type === "drop") {
      connection.bytes.delete(change.key);
    }
  }
}

function apply({ statements: s }: Connection, change: Change): void {
  switch (change.type) {
    case "create": {
      const { stream, entries } = change;
      const last = entries.at(-1);
      const tail = last
        ? last.offset + (isJsonContentType(stream.contentType) ? 1 : last.data.length)
        : stream.fork?.offset ?? 0;
      s.insertStream.run(
        stream.key,
        stream.path,
        stream.contentType,
        stream.kind,
        stream.ttlSeconds ?? null,
        stream.expiresAt ?? null,
        stream.fork?.key ?? null,
        stream.fork?.offset ?? null,
        stream.createdAt,
        tail,
        change.closed ? 1 : 0,
      );
      for (const entry of entries) s.insertEntry.run(stream.key, entry.offset, entry.data);
      return;
    }
    case "append": {
      const closer = change.close ? change.producer : undefined;
      const { changes } = s.updateTail.run(
        change.tail,
        change.close ? 1 : 0,
        closer?.id ?? null,
        closer?.epoch ?? null,
        closer?.seq ?? null,
        change.streamSeq ?? null,
        change.key,
      );
      if (changes === 0) throw missing(change.key);
      for (const entry of change.entries) s.insertEntry.run(change.key, entry.offset, entry.data);
      const p = change.producer;
      if (p) s.upsertProducer.run(change.key, p.id, p.epoch, p.seq);
      return;
    }
    case "soft-delete":
      if (s.softDelete.run(change.key).changes === 0) throw missing(change.key);
      return;
    case "drop":
      s.dropEntries.run(change.key);
      s.dropProducers.run(change.key);
      if (s.dropStream.run(change.key).changes === 0) throw missing(change.key);
      return;
  }
}

function missing(key: number): Error {
  return new Error(`No stream with key ${key} in the database`);
}

function load({ statements, bytes }: Connection): StoredStreamState[] {
  const producers = new Map<number, Map<string, StoredProducer>>();
  for (const row of statements.selectProducers.all() as Row[]) {
    const key = row.stream_key as number;
    let map = producers.get(key);
    if (!map) producers.set(key, map = new Map());
    map.set(row.producer_id as string, { epoch: row.epoch as number, seq: row.seq as number });
  }
  bytes.clear();
  return (statements.selectStreams.all() as Row[]).map((row): StoredStreamState => {
    const stream = toStream(row);
    bytes.set(stream.key, !isJsonContentType(stream.contentType));
    return {
      stream,
      tail: row.tail as number,
      closed: row.closed === 1,
      ...(row.closed_by_id !== null
        ? {
          closedBy: {
            id: row.closed_by_id as string,
            epoch: row.closed_by_epoch as number,
            seq: row.closed_by_seq as number,
          },
        }
        : {}),
      deleted: row.deleted === 1,
      producers: producers.get(stream.key) ?? new Map(),
      ...(row.last_stream_seq !== null ? { lastStreamSeq: row.last_stream_seq as string } : {}),
    };
  });
}

function toStream(row: Row): StoredStream {
  return {
    key: row.key as number,
    path: row.path as string,
    contentType: row.content_type as string,
    kind: row.kind as StoredStream["kind"],
    ...(row.ttl_seconds !== null ? { ttlSeconds: row.ttl_seconds as number } : {}),
    ...(row.expires_at !== null ? { expiresAt: row.expires_at as number } : {}),
    ...(row.fork_key !== null
      ? { fork: { key: row.fork_key as number, offset: row.fork_offset as number } }
      : {}),
    createdAt: row.created_at as number,
  };
}
