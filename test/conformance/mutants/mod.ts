// Every mutant, by spec chapter. Each file belongs to the checks of that chapter.

import type { Mutant } from "../mutant.ts";
import { overviewMutants } from "./overview.ts";
import { logMutants } from "./log.ts";
import { httpMutants } from "./http.ts";
import { sseMutants } from "./sse.ts";
import { websocketMutants } from "./websocket.ts";
import { discoveryMutants } from "./discovery.ts";
import { errorsMutants } from "./errors.ts";
import { envelopeMutants } from "./envelope.ts";
import { versioningMutants } from "./versioning.ts";
import { viewAiSdkMutants } from "./view_ai_sdk.ts";
import { viewAgUiMutants } from "./view_ag_ui.ts";

export const MUTANTS: readonly Mutant[] = [
  ...overviewMutants,
  ...logMutants,
  ...httpMutants,
  ...sseMutants,
  ...websocketMutants,
  ...discoveryMutants,
  ...errorsMutants,
  ...envelopeMutants,
  ...versioningMutants,
  ...viewAiSdkMutants,
  ...viewAgUiMutants,
];
