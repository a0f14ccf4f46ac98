import type { Mutant } from "../mutant.ts";

export const envelopeMutants: readonly Mutant[] = [];
