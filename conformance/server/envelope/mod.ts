// envelope.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";

/** Checks of envelope.md, in section order. */
export const envelopeChecks: readonly Check[] = [];
