// sse.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";

/** Checks of sse.md, in section order. */
export const sseChecks: readonly Check[] = [];
