import type { Mutant } from "../mutant.ts";

export const websocketMutants: readonly Mutant[] = [];
