import type { Check } from "../../check.ts";

/** The connection checks of websocket.md, in section order. */
export const websocketConnectionChecks: readonly Check[] = [];
