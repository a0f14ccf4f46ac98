// http.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";

/** Checks of http.md, in section order. */
export const httpChecks: readonly Check[] = [];
