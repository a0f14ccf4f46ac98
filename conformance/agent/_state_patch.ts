// JSON Patches generated from the document they will apply to, so that every
// generated `state.delta` applies (EVT-STATE-1) whatever the state is.
import fc from "fast-check";
import {
  applyJsonPatch,
  type JsonPatchOperation,
  type JsonValue,
} from "../../src/projector/json_patch.ts";
import { JSON_KEYS, jsonValue, pointerSegment } from "./_json_values.ts";

/** Random choices for one operation; the document decides what they mean. */
export interface PatchSeed {
  readonly op: number;
  readonly at: number;
  readonly to: number;
  readonly key: string;
  readonly value: JsonValue;
}

/** Seeds of a patch of one to four operations. */
export const patchSeeds: fc.Arbitrary<PatchSeed[]> = fc.array(
  fc.record({
    op: fc.nat(5),
    at: fc.nat(),
    to: fc.nat(),
    key: fc.constantFrom(...JSON_KEYS),
    value: jsonValue,
  }),
  { minLength: 1, maxLength: 4 },
);

interface Location {
  readonly pointer: string;
  readonly value: JsonValue;
}

/** Every value inside `document` (the document itself first, pointer ""). */
export function locations(document: JsonValue): Location[] {
  const found: Location[] = [];
  const walk = (value: JsonValue, pointer: string) => {
    found.push({ pointer, value });
    if (Array.isArray(value)) value.forEach((item, i) => walk(item, `${pointer}/${i}`));
    else if (value !== null && typeof value === "object") {
      for (const [key, item] of Object.entries(value)) {
        walk(item, `${pointer}/${pointerSegment(key)}`);
      }
    }
  };
  walk(document, "");
  return found;
}

function addPath(document: JsonValue, seed: PatchSeed): string | undefined {
  const containers = locations(document).filter((l) =>
    l.value !== null && typeof l.value === "object"
  );
  if (containers.length === 0) return undefined;
  const { pointer, value } = containers[seed.to % containers.length];
  if (!Array.isArray(value)) return `${pointer}/${pointerSegment(seed.key)}`;
  const index = seed.at % (value.length + 2);
  return `${pointer}/${index > value.length ? "-" : index}`;
}

function operation(document: JsonValue, seed: PatchSeed): JsonPatchOperation | undefined {
  const inner = locations(document).slice(1);
  const kind = inner.length === 0 ? 0 : seed.op;
  const at = inner.length === 0 ? undefined : inner[seed.at % inner.length];
  const path = addPath(document, seed);
  switch (kind) {
    case 1:
      return { op: "remove", path: at!.pointer };
    case 2:
      return { op: "replace", path: at!.pointer, value: seed.value };
    case 3:
      return path === undefined ? undefined : { op: "move", from: at!.pointer, path };
    case 4:
      return path === undefined ? undefined : { op: "copy", from: at!.pointer, path };
    case 5:
      return { op: "test", path: at!.pointer, value: at!.value };
    default:
      return path === undefined ? undefined : { op: "add", path, value: seed.value };
  }
}

/**
 * The operations the seeds describe for `document`, each kept only if it
 * applies after the ones before it; the patch and the patched document.
 */
export function patchFromSeeds(
  document: JsonValue,
  seeds: readonly PatchSeed[],
): { patch: JsonPatchOperation[]; result: JsonValue } {
  const patch: JsonPatchOperation[] = [];
  let result = document;
  for (const seed of seeds) {
    const op = operation(result, seed);
    if (op === undefined) continue;
    try {
      result = applyJsonPatch(result, [op]);
      patch.push(op);
    } catch {
      // A move into its own child or an index gone after a removal: skip it.
    }
  }
  return { patch, result };
}
