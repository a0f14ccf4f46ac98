// websocket.md: the connection (§3–5, §10–13) and the subscriptions and appends (§6–9).

import type { Check } from "../../check.ts";
import { websocketConnectionChecks } from "./_connection_index.ts";
import { websocketSubscriptionChecks } from "./_subscription_index.ts";

/** Checks of websocket.md, in section order. */
export const websocketChecks: readonly Check[] = [
  ...websocketConnectionChecks,
  ...websocketSubscriptionChecks,
];
