import type { Mutant } from "../mutant.ts";

export const sseMutants: readonly Mutant[] = [];
