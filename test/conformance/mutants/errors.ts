import type { Mutant } from "../mutant.ts";

export const errorsMutants: readonly Mutant[] = [];
