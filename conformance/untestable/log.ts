// Requirements of log.md that no automated check tests, with the reason and
// how they are tested instead.

/** ID → reason. */
export const logUntestable: Readonly<Record<string, string>> = {
  "LOG-APPEND-4":
    "Durability means surviving a restart of the server, and a check over HTTP cannot restart the server it tests. " +
    "Tested instead by the store contract (test/store_contract/contract.ts), whose random operation sequences " +
    "reopen SqliteStore and FileStore and require every acknowledged message back, and by the kill tests " +
    "(test/crash), which SIGKILL a writer mid-append and require every acknowledged append to survive recovery.",
  "LOG-CLOSE-5":
    "Persistence of the closed state shows only across a restart, which a check over HTTP cannot cause. " +
    "Tested instead by the store contract (test/store_contract/contract.ts): its `reopen` operation reopens " +
    "SqliteStore and FileStore on the same data, and the stream metadata compared afterwards includes `closed`.",
};
