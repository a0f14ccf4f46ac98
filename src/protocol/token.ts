import * as v from "valibot";
import { boundedString, pattern } from "./_common.ts";

/**
 * A client-chosen identifier such as a subscription id (`sub`) or request id
 * (`req`): 1 to 128 characters from `A-Z a-z 0-9 . _ : ~ -`.
 *
 * @example
 * ```ts
 * import type { Token } from "@agent-stream/agent-stream/protocol";
 * const sub: Token = "sub-1";
 * ```
 */
export type Token = string;

/**
 * The longest allowed {@linkcode Token}, in characters.
 *
 * @example
 * ```ts
 * import { TOKEN_MAX_LENGTH } from "@agent-stream/agent-stream/protocol";
 * const longest = "a".repeat(TOKEN_MAX_LENGTH);
 * ```
 */
export const TOKEN_MAX_LENGTH: number = 128;

/**
 * The regular expression for {@linkcode Token} characters (JSON Schema
 * `common.schema.json#/$defs/token`); the length bound is separate.
 *
 * @example
 * ```ts
 * import { TOKEN_PATTERN } from "@agent-stream/agent-stream/protocol";
 * TOKEN_PATTERN.test("req:42"); // true
 * TOKEN_PATTERN.test("req 42"); // false
 * ```
 */
export const TOKEN_PATTERN: RegExp = pattern(String.raw`^[A-Za-z0-9._:~-]+$`);

/**
 * Valibot schema of a {@linkcode Token}.
 *
 * @example
 * ```ts
 * import * as v from "valibot";
 * import { TokenSchema } from "@agent-stream/agent-stream/protocol";
 * v.is(TokenSchema, "s1"); // true
 * v.is(TokenSchema, ""); // false
 * ```
 */
export const TokenSchema: v.GenericSchema<Token> = v.pipe(
  boundedString(1, TOKEN_MAX_LENGTH),
  v.regex(TOKEN_PATTERN, "Expected a token of A-Z a-z 0-9 . _ : ~ -"),
);
