// Request bodies, read with the size limit applied while reading: a client
// announcing or sending more than `maxBodyBytes` is refused as soon as that
// is known, without buffering the rest (HTTP-APPEND-7, DISC-LIMIT-2).

/** The body's bytes, or the fact that it exceeds the limit. */
export type BodyResult =
  | { readonly ok: true; readonly bytes: Uint8Array }
  | { readonly ok: false; readonly tooLarge: true };

const EMPTY = new Uint8Array(0);

/** Reads a request body of at most `maxBytes` bytes. */
export async function readBody(request: Request, maxBytes: number): Promise<BodyResult> {
  const declared = request.headers.get("content-length");
  if (declared !== null && /^[0-9]+$/.test(declared.trim()) && Number(declared) > maxBytes) {
    await request.body?.cancel().catch(() => {});
    return { ok: false, tooLarge: true };
  }
  if (request.body === null) return { ok: true, bytes: EMPTY };
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let length = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    length += value.length;
    if (length > maxBytes) {
      await reader.cancel().catch(() => {});
      return { ok: false, tooLarge: true };
    }
    chunks.push(value);
  }
  if (chunks.length === 1) {
    // A view into a larger buffer would keep all of it alive in the store.
    const only = chunks[0];
    return { ok: true, bytes: only.byteLength === only.buffer.byteLength ? only : only.slice() };
  }
  const bytes = new Uint8Array(length);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return { ok: true, bytes };
}
