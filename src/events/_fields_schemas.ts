// The schema of a definition's own fields, apart from the envelope, so that a
// registry can report envelope and field violations together: the combined
// `schema` stops at the first failing part, as valibot pipes do.

import type * as v from "valibot";
import type { EventDefinition } from "./define_event.ts";

/** Filled by `defineEvent`; definitions made by hand are not listed. */
export const FIELDS_SCHEMAS: WeakMap<EventDefinition, v.GenericSchema> = new WeakMap();
