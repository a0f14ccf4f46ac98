// Mutants of the AI SDK view (view-ai-sdk.md): each breaks one VIEW-AISDK-*
// requirement of the /v1/ai-sdk/ endpoint.

import type { Mutant } from "../mutant.ts";

/** Mutants that break one requirement of view-ai-sdk.md each. */
export const viewAiSdkMutants: readonly Mutant[] = [];
