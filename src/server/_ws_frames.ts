// Server frame text. Data frames are assembled from stored bytes without
// parsing them (WS-DATA-3: messages leave exactly as they were stored), and
// a live batch, which the store hands to every subscriber as one shared
// array, is decoded and joined once however many subscribers receive it.

import { formatOffset } from "../protocol/offset.ts";
import type { WsServerFrame } from "../protocol/ws_server_frame.ts";

const decoder = new TextDecoder();
const texts = new WeakMap<readonly Uint8Array[], readonly string[]>();
const joined = new WeakMap<readonly Uint8Array[], string>();

/** Bytes of a data frame besides its messages and its `sub`, rounded up. */
export const DATA_FRAME_OVERHEAD = 100;

/** Any server frame as its text. */
export function frameText(frame: WsServerFrame): string {
  return JSON.stringify(frame);
}

/** The JSON text `[m0,m1,…]` of `messages[start..end)`, cached per batch when whole. */
export function messagesJson(
  messages: readonly Uint8Array[],
  start = 0,
  end = messages.length,
): string {
  if (start === 0 && end === messages.length) {
    let text = joined.get(messages);
    if (text === undefined) {
      text = `[${textsOf(messages).join(",")}]`;
      joined.set(messages, text);
    }
    return text;
  }
  return `[${textsOf(messages).slice(start, end).join(",")}]`;
}

function textsOf(messages: readonly Uint8Array[]): readonly string[] {
  let decoded = texts.get(messages);
  if (decoded === undefined) {
    decoded = messages.map((message) => decoder.decode(message));
    texts.set(messages, decoded);
  }
  return decoded;
}

/** What a data frame states besides its messages. */
export interface DataFrameFields {
  readonly sub: string;
  readonly nextOffset: number;
  readonly upToDate: boolean;
  readonly closed: boolean;
}

/** A `data` frame around already encoded messages. */
export function dataFrameText(fields: DataFrameFields, messages: string): string {
  return `{"type":"data","sub":${JSON.stringify(fields.sub)},"messages":${messages},` +
    `"nextOffset":"${formatOffset(fields.nextOffset)}"` +
    (fields.upToDate ? `,"upToDate":true` : "") +
    (fields.closed ? `,"closed":true` : "") + "}";
}
