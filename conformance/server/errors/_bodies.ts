// JSON request bodies of exact byte sizes, for the limits of discovery.md §6.

const encoder = new TextEncoder();

/** The UTF-8 length of a text. */
export function utf8Length(text: string): number {
  return encoder.encode(text).length;
}

/** A JSON message whose text is exactly `bytes` long (at least 1): a digit, or a string of `x`. */
export function messageOfSize(bytes: number): string {
  if (bytes < 1) throw new RangeError("a JSON message has at least 1 byte");
  return bytes === 1 ? "1" : `"${"x".repeat(bytes - 2)}"`;
}

/**
 * A JSON array body of exactly `bytes` bytes whose messages are each at most
 * `maxMessage` bytes long; `undefined` when no such body exists.
 */
export function arrayBodyOfSize(bytes: number, maxMessage: number): string | undefined {
  if (bytes < 3 || maxMessage < 1) return undefined;
  // n messages take n - 1 commas and two brackets; each holds 1..maxMessage bytes.
  const n = Math.ceil((bytes - 1) / (maxMessage + 1));
  const content = bytes - 2 - (n - 1);
  if (content < n || content > n * maxMessage) return undefined;
  const base = Math.floor(content / n);
  const extra = content - base * n;
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(messageOfSize(base + (i < extra ? 1 : 0)));
  return `[${parts.join(",")}]`;
}

/**
 * A JSON string message whose text is exactly `bytes` long, built from
 * `char` and padded with `x`: multi-byte characters catch a server that
 * counts characters instead of UTF-8 bytes.
 */
export function messageText(bytes: number, char: string): string {
  const width = utf8Length(char);
  const count = Math.floor((bytes - 2) / width);
  return `"${char.repeat(count)}${"x".repeat(bytes - 2 - count * width)}"`;
}
