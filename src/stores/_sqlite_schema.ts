// The SQLite schema of `SqliteBackend` and the statements it runs, as text:
// runtime-free, so tests can EXPLAIN the very statements the backend prepares.

/**
 * Migrations by version: `MIGRATIONS[v]` takes a database from `PRAGMA
 * user_version` v to v + 1. Append only; never edit a shipped step.
 */
export const MIGRATIONS: readonly string[] = [
  `
  -- Instants are REAL: an injected clock or an expiry may carry fractions of a millisecond.
  CREATE TABLE streams (
    key INTEGER PRIMARY KEY,
    path TEXT NOT NULL,
    content_type TEXT NOT NULL,
    kind TEXT NOT NULL,
    ttl_seconds INTEGER,
    expires_at REAL,
    fork_key INTEGER,
    fork_offset INTEGER,
    created_at REAL NOT NULL,
    tail INTEGER NOT NULL,
    closed INTEGER NOT NULL,
    closed_by_id TEXT,
    closed_by_epoch INTEGER,
    closed_by_seq INTEGER,
    deleted INTEGER NOT NULL DEFAULT 0,
    last_stream_seq TEXT
  ) STRICT;

  CREATE TABLE producers (
    stream_key INTEGER NOT NULL,
    producer_id TEXT NOT NULL,
    epoch INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    PRIMARY KEY (stream_key, producer_id)
  ) WITHOUT ROWID, STRICT;

  -- WITHOUT ROWID clusters each stream's entries in offset order, so a
  -- catch-up read walks neighbouring pages; big chunks spill to overflow pages.
  CREATE TABLE entries (
    stream_key INTEGER NOT NULL,
    "offset" INTEGER NOT NULL,
    data BLOB NOT NULL,
    PRIMARY KEY (stream_key, "offset")
  ) WITHOUT ROWID, STRICT;
  `,
];

/** The schema version this build writes: the number of migrations. */
export const SCHEMA_VERSION: number = MIGRATIONS.length;

/**
 * Entries of stream ?1 from the one that starts at or before offset ?2 (it may
 * hold ?2 inside a byte chunk), at most ?3 rows. Both the max() and the range
 * are searches of the primary key, O(log n) wherever the read starts:
 *
 *     SEARCH entries USING PRIMARY KEY (stream_key=? AND offset>?)
 *     SCALAR SUBQUERY 1
 *       SEARCH entries USING PRIMARY KEY (stream_key=? AND offset<?)
 */
export const READ_ENTRIES = `
  SELECT "offset", data FROM entries
  WHERE stream_key = ?1 AND "offset" >= coalesce(
    (SELECT max("offset") FROM entries WHERE stream_key = ?1 AND "offset" <= ?2),
    ?2)
  ORDER BY "offset"
  LIMIT ?3`;

export const INSERT_STREAM = `
  INSERT INTO streams (key, path, content_type, kind, ttl_seconds, expires_at,
    fork_key, fork_offset, created_at, tail, closed)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

export const INSERT_ENTRY = `INSERT INTO entries (stream_key, "offset", data) VALUES (?, ?, ?)`;

/** Parameters: tail, close (0/1), closer id, epoch, seq (NULL unless a producer closed), Stream-Seq, key. */
export const UPDATE_TAIL = `
  UPDATE streams SET
    tail = ?1,
    closed = closed OR ?2,
    closed_by_id = CASE WHEN ?3 IS NULL THEN closed_by_id ELSE ?3 END,
    closed_by_epoch = CASE WHEN ?3 IS NULL THEN closed_by_epoch ELSE ?4 END,
    closed_by_seq = CASE WHEN ?3 IS NULL THEN closed_by_seq ELSE ?5 END,
    last_stream_seq = coalesce(?6, last_stream_seq)
  WHERE key = ?7`;

export const UPSERT_PRODUCER = `
  INSERT INTO producers (stream_key, producer_id, epoch, seq) VALUES (?, ?, ?, ?)
  ON CONFLICT (stream_key, producer_id) DO UPDATE SET epoch = excluded.epoch, seq = excluded.seq`;

export const SOFT_DELETE = `UPDATE streams SET deleted = 1 WHERE key = ?`;

export const DROP_ENTRIES = `DELETE FROM entries WHERE stream_key = ?`;
export const DROP_PRODUCERS = `DELETE FROM producers WHERE stream_key = ?`;
export const DROP_STREAM = `DELETE FROM streams WHERE key = ?`;

export const SELECT_STREAMS = `SELECT * FROM streams ORDER BY key`;
export const SELECT_PRODUCERS = `
  SELECT stream_key, producer_id, epoch, seq FROM producers ORDER BY stream_key, producer_id`;
