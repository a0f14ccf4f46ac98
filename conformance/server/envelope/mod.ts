// envelope.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { envelopeAgentStreamsChecks } from "./agent_streams.ts";
import { envelopeUnknownTypesChecks } from "./unknown_types.ts";

/** Checks of envelope.md, in section order. */
export const envelopeChecks: readonly Check[] = [
  ...envelopeUnknownTypesChecks,
  ...envelopeAgentStreamsChecks,
];
