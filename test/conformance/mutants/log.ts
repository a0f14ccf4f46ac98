import type { Mutant } from "../mutant.ts";

export const logMutants: readonly Mutant[] = [];
