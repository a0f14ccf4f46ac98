// view-ai-sdk.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { viewAiSdkSendChecks } from "./send_message.ts";
import { viewAiSdkResumeChecks } from "./resume.ts";
import { viewAiSdkErrorChecks } from "./errors.ts";

/** Checks of view-ai-sdk.md, in section order. */
export const viewAiSdkChecks: readonly Check[] = [
  ...viewAiSdkSendChecks,
  ...viewAiSdkResumeChecks,
  ...viewAiSdkErrorChecks,
];
