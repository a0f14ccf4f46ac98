import type { Check } from "../../check.ts";

/** The subscription checks of websocket.md, in section order. */
export const websocketSubscriptionChecks: readonly Check[] = [];
