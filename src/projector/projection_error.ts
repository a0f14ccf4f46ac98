/**
 * A projection that could not go on: decoding or reducing the event at
 * `offset` threw (the original error is `cause`), or the store delivered
 * something a projection cannot fold (a gap, or a byte stream).
 *
 * @example
 * ```ts
 * import { ProjectionError } from "@agent-stream/agent-stream/projector";
 * const error = new ProjectionError("Reducer failed at offset 7", { offset: 7 });
 * console.log(error.offset); // 7
 * ```
 */
export class ProjectionError extends Error {
  /** The offset of the event the projection stopped at. */
  readonly offset: number;

  /** Creates an error for the event at `options.offset`. */
  constructor(message: string, options: { offset: number; cause?: unknown }) {
    super(message, "cause" in options ? { cause: options.cause } : undefined);
    this.name = "ProjectionError";
    this.offset = options.offset;
  }
}
