// Byte helpers shared by the encoders of the bindings.

/** Joins byte arrays into one; a single part is returned as it is. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array<ArrayBuffer> {
  // Stores hold ordinary ArrayBuffers; only the type is widened on the way.
  if (parts.length === 1) return parts[0] as Uint8Array<ArrayBuffer>;
  let length = 0;
  for (const part of parts) length += part.length;
  const out = new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
