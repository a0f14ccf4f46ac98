// errors.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";

/** Checks of errors.md, in section order. */
export const errorsChecks: readonly Check[] = [];
