// websocket.md: the subscriptions and appends (§6–9).

import type { Check } from "../../check.ts";
import { websocketSubscribeChecks } from "./subscribe.ts";
import { websocketDeliveryChecks } from "./delivery.ts";
import { websocketSubscriptionEndChecks } from "./subscription_end.ts";
import { websocketResumeChecks } from "./resume.ts";
import { websocketFlowControlChecks } from "./flow_control.ts";
import { websocketSlowSubscriberChecks } from "./slow_subscribers.ts";
import { websocketAppendChecks } from "./appends.ts";
import { websocketModelChecks } from "./subscriptions_model.ts";

/** The subscription checks of websocket.md, in section order. */
export const websocketSubscriptionChecks: readonly Check[] = [
  ...websocketSubscribeChecks,
  ...websocketDeliveryChecks,
  ...websocketSubscriptionEndChecks,
  ...websocketResumeChecks,
  ...websocketFlowControlChecks,
  ...websocketSlowSubscriberChecks,
  ...websocketAppendChecks,
  ...websocketModelChecks,
];
