// sse.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { sseConnectionHealthChecks } from "./connection_health.ts";
import { sseEndOfStreamChecks } from "./end_of_stream.ts";
import { sseErrorsChecks } from "./errors.ts";
import { sseEventsChecks } from "./events.ts";
import { sseResumptionChecks } from "./resumption.ts";

/** Checks of sse.md, in section order. */
export const sseChecks: readonly Check[] = [
  ...sseEventsChecks,
  ...sseResumptionChecks,
  ...sseConnectionHealthChecks,
  ...sseEndOfStreamChecks,
  ...sseErrorsChecks,
];
