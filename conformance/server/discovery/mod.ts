// discovery.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { discoveryRetrievalChecks } from "./retrieval.ts";
import { discoveryMembersChecks } from "./members.ts";
import { discoveryVersionsChecks } from "./versions.ts";
import { discoveryBindingsChecks } from "./bindings.ts";
import { discoveryFeaturesChecks } from "./features.ts";
import { discoveryLimitsChecks } from "./limits.ts";
import { discoveryCachingChecks } from "./caching.ts";

/** Checks of discovery.md, in section order. */
export const discoveryChecks: readonly Check[] = [
  ...discoveryRetrievalChecks,
  ...discoveryMembersChecks,
  ...discoveryVersionsChecks,
  ...discoveryBindingsChecks,
  ...discoveryFeaturesChecks,
  ...discoveryLimitsChecks,
  ...discoveryCachingChecks,
];
