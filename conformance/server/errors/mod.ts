// errors.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { errorsProblemDetailsChecks } from "./problem_details.ts";
import { errorsProblemTypesChecks } from "./problem_types.ts";
import { errorsExtensionMembersChecks } from "./extension_members.ts";
import { errorsRetryAfterChecks } from "./retry_after.ts";
import { errorsWebSocketChecks } from "./websocket.ts";

/** Checks of errors.md, in section order. */
export const errorsChecks: readonly Check[] = [
  ...errorsProblemDetailsChecks,
  ...errorsProblemTypesChecks,
  ...errorsExtensionMembersChecks,
  ...errorsRetryAfterChecks,
  ...errorsWebSocketChecks,
];
