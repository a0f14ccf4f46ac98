// versioning.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { versioningForwardCompatibilityChecks } from "./forward_compatibility.ts";
import { versioningNegotiationChecks } from "./negotiation.ts";

/** Checks of versioning.md, in section order. */
export const versioningChecks: readonly Check[] = [
  ...versioningNegotiationChecks,
  ...versioningForwardCompatibilityChecks,
];
