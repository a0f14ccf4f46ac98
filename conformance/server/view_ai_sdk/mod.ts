// view-ai-sdk.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";

/** Checks of view-ai-sdk.md, in section order. */
export const viewAiSdkChecks: readonly Check[] = [];
