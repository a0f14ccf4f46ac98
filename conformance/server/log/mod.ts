// log.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { logStreamsChecks } from "./streams.ts";
import { logMessagesChecks } from "./messages.ts";
import { logOffsetsChecks } from "./offsets.ts";
import { logAppendingChecks } from "./appending.ts";
import { logReadingChecks } from "./reading.ts";
import { logClosingChecks } from "./closing.ts";
import { logProducersChecks } from "./producers.ts";
import { logLifetimeChecks } from "./lifetime.ts";
import { logForksChecks } from "./forks.ts";
import { logDeletingChecks } from "./deleting.ts";
import { logBytesChecks } from "./bytes.ts";

/** Checks of log.md, in section order. */
export const logChecks: readonly Check[] = [
  ...logStreamsChecks,
  ...logMessagesChecks,
  ...logOffsetsChecks,
  ...logAppendingChecks,
  ...logReadingChecks,
  ...logClosingChecks,
  ...logProducersChecks,
  ...logLifetimeChecks,
  ...logForksChecks,
  ...logDeletingChecks,
  ...logBytesChecks,
];
