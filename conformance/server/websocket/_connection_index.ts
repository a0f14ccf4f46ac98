// websocket.md: the connection (§3–5, §10–13).

import type { Check } from "../../check.ts";
import { websocketHandshakeChecks } from "./handshake.ts";
import { websocketFramesChecks } from "./frames.ts";
import { websocketHelloChecks } from "./hello.ts";
import { websocketErrorsChecks } from "./errors.ts";
import { websocketHeartbeatsChecks } from "./heartbeats.ts";
import { websocketClosingChecks } from "./closing.ts";
import { websocketLimitsChecks } from "./limits.ts";

/** The connection checks of websocket.md, in section order. */
export const websocketConnectionChecks: readonly Check[] = [
  ...websocketHandshakeChecks,
  ...websocketFramesChecks,
  ...websocketHelloChecks,
  ...websocketErrorsChecks,
  ...websocketHeartbeatsChecks,
  ...websocketClosingChecks,
  ...websocketLimitsChecks,
];
