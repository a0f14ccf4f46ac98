/**
 * Projections: fold a stream's events into a state with a reducer, from the
 * start or from a persisted snapshot, once (`catchUp`) or live (`follow`).
 *
 * @example
 * ```ts
 * import { Projector } from "@agent-stream/agent-stream/projector";
 * import { MemoryStore } from "@agent-stream/agent-stream/stores";
 *
 * const store = new MemoryStore();
 * const text = new TextEncoder();
 * await store.create("runs/1", { kind: "agent" });
 * await store.append("runs/1", {
 *   messages: [text.encode('{"type":"com.example.step.done"}')],
 * });
 *
 * const steps = new Projector({
 *   init: () => 0,
 *   reducer: (count: number, event: { type: string }) =>
 *     event.type === "com.example.step.done" ? count + 1 : count,
 * });
 * const snapshot = await steps.catchUp(store, "runs/1"); // { state: 1, offset: 1, closed: false }
 *
 * // Later, perhaps in another process: resume from the persisted snapshot.
 * await store.append("runs/1", { messages: [text.encode('{"type":"com.example.step.done"}')] });
 * const { state } = await steps.catchUp(store, "runs/1", { from: snapshot });
 * console.log(state); // 2
 * await store.dispose();
 * ```
 *
 * @module
 */

export * from "./projector.ts";
export * from "./projection_error.ts";
export * from "./json_patch.ts";
export * from "./message_buffer.ts";
