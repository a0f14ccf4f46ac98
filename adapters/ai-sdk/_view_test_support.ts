// Helpers of the view's tests: reading a stored stream and comparing values
// as JSON.

import type { EventStore } from "../../src/stores/event_store.ts";

/** A value as its JSON text reads back: undefined members dropped. */
export function jsonOf(value: unknown): unknown {
  return value === undefined ? undefined : JSON.parse(JSON.stringify(value));
}

/** Every event of a stored stream, parsed. */
export async function readEvents(store: EventStore, path: string): Promise<unknown[]> {
  const read = await store.read(path, { offset: 0 });
  return read.messages.map((bytes) => JSON.parse(new TextDecoder().decode(bytes)));
}
