import type { Mutant } from "../mutant.ts";

export const overviewMutants: readonly Mutant[] = [];
