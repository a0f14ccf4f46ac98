// discovery.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { discoveryRetrievalChecks } from "./retrieval.ts";

/** Checks of discovery.md, in section order. */
export const discoveryChecks: readonly Check[] = [
  ...discoveryRetrievalChecks,
];
