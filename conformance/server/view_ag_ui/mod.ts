// view-ag-ui.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { viewAgUiRunChecks } from "./runs.ts";
import { viewAgUiMappingChecks } from "./mapping.ts";
import { viewAgUiWireChecks } from "./wire.ts";
import { viewAgUiReadChecks } from "./reading.ts";
import { viewAgUiRunningChecks } from "./running.ts";
import { viewAgUiErrorChecks } from "./errors.ts";

/** Checks of view-ag-ui.md, in section order. */
export const viewAgUiChecks: readonly Check[] = [
  ...viewAgUiRunChecks,
  ...viewAgUiMappingChecks,
  ...viewAgUiWireChecks,
  ...viewAgUiReadChecks,
  ...viewAgUiRunningChecks,
  ...viewAgUiErrorChecks,
];
