import type { Mutant } from "../mutant.ts";

export const versioningMutants: readonly Mutant[] = [];
