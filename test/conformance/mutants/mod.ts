// Every mutant, by area. Each area file belongs to the checks of that area.

import type { Mutant } from "../mutant.ts";
import { discoveryMutants } from "./discovery.ts";
import { httpMutants } from "./http.ts";
import { logMutants } from "./log.ts";
import { sseMutants } from "./sse.ts";
import { websocketMutants } from "./websocket.ts";
import { errorsMutants } from "./errors.ts";

export const MUTANTS: readonly Mutant[] = [
  ...logMutants,
  ...httpMutants,
  ...sseMutants,
  ...websocketMutants,
  ...discoveryMutants,
  ...errorsMutants,
];
