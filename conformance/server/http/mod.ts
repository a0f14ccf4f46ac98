// http.md: one file per section, listed here in section order.

import type { Check } from "../../check.ts";
import { httpResourcesChecks } from "./resources.ts";
import { httpPathsChecks } from "./paths.ts";
import { httpHeadersChecks } from "./headers.ts";
import { httpCreateChecks } from "./create.ts";
import { httpCreateForkChecks } from "./create_fork.ts";
import { httpAppendChecks } from "./append.ts";
import { httpDeleteChecks } from "./delete.ts";
import { httpHeadChecks } from "./head.ts";
import { httpReadChecks } from "./read.ts";
import { httpLongPollChecks } from "./long_poll.ts";
import { httpErrorsChecks } from "./errors.ts";
import { httpBrowsersChecks } from "./browsers.ts";

/** Checks of http.md, in section order. */
export const httpChecks: readonly Check[] = [
  ...httpResourcesChecks,
  ...httpPathsChecks,
  ...httpHeadersChecks,
  ...httpCreateChecks,
  ...httpCreateForkChecks,
  ...httpAppendChecks,
  ...httpDeleteChecks,
  ...httpHeadChecks,
  ...httpReadChecks,
  ...httpLongPollChecks,
  ...httpErrorsChecks,
  ...httpBrowsersChecks,
];
