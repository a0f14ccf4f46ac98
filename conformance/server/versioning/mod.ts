// versioning.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";

/** Checks of versioning.md, in section order. */
export const versioningChecks: readonly Check[] = [];
