// The extension routes the reference server under test serves: the views of
// agent streams. Each view adds its route here.

import type { ServerRoute } from "../../src/server/server_route.ts";
import { agUiRoute } from "../../adapters/ag-ui/mod.ts";
import { aiSdkRoute } from "../../adapters/ai-sdk/mod.ts";

/** Routes of the reference server, in the order they are matched. */
export const REFERENCE_ROUTES: readonly ServerRoute[] = [
  // routes: one entry per view
  agUiRoute(),
  aiSdkRoute(),
];
