// overview.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { overviewDurableStreamsChecks } from "./durable_streams.ts";

/** Checks of overview.md, in section order. */
export const overviewChecks: readonly Check[] = [...overviewDurableStreamsChecks];
