// log.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";

/** Checks of log.md, in section order. */
export const logChecks: readonly Check[] = [];
