// The reference fold (reduceConversationProjection) with hooks where a
// broken consumer goes wrong. Without hooks it is the reference consumer;
// broken_consumer.ts gives each bug its hooks.

import type { Conversation } from "../../../src/conversation/conversation.ts";
import {
  type ConversationProjectionState,
  initialConversationProjection,
  reduceConversationProjection,
} from "../../../src/conversation/project_conversation.ts";
import { eventKind } from "../../../conformance/agent/_reference.ts";
import type { EventKind } from "../../../conformance/agent/consumer/_blame.ts";

/** Where a broken consumer departs from the fold. */
export interface FoldHooks {
  /** Rewrites a value before the fold looks at it. */
  readonly rewrite?: (value: unknown, offset: number) => unknown;
  /** Folds a value the reference leaves out (skipped or refused, as `kind` says). */
  readonly ignored?: (
    conversation: Conversation,
    value: unknown,
    offset: number,
    kind: EventKind,
  ) => Conversation;
  /** Changes the projection after an admitted event. */
  readonly after?: (
    before: Conversation,
    after: Conversation,
    value: Record<string, unknown>,
    offset: number,
    fold: MutantFold,
  ) => Conversation;
  /** Rewrites the conversation a consumer answers with. */
  readonly answer?: (conversation: Conversation) => unknown;
}

/** A consumer folding events one at a time, with hooks. */
export class MutantFold {
  state: ConversationProjectionState;
  readonly hooks: FoldHooks;

  /** A fold, fresh or resumed from `saved`; `forget` drops the saved bookkeeping. */
  constructor(hooks: FoldHooks = {}, saved?: ConversationProjectionState, forget = false) {
    this.hooks = hooks;
    this.state = saved === undefined
      ? initialConversationProjection()
      : forget
      ? { ...initialConversationProjection(), conversation: saved.conversation }
      : saved;
  }

  /** The reference step, from `state`. */
  step(
    state: ConversationProjectionState,
    value: unknown,
    offset: number,
  ): ConversationProjectionState {
    return reduceConversationProjection(state, value, offset);
  }

  /** Folds the value at `offset`. */
  fold(original: unknown, offset: number): void {
    const value = this.hooks.rewrite ? this.hooks.rewrite(original, offset) : original;
    const before = this.state;
    const after = this.step(before, value, offset);
    if (after === before) {
      if (this.hooks.ignored) {
        const conversation = this.hooks.ignored(
          before.conversation,
          value,
          offset,
          eventKind(value, true),
        );
        this.state = { ...before, conversation };
      }
      return;
    }
    this.state = this.hooks.after
      ? {
        ...after,
        conversation: this.hooks.after(
          before.conversation,
          after.conversation,
          value as Record<string, unknown>,
          offset,
          this,
        ),
      }
      : after;
  }

  /** What this consumer saves to resume from. */
  save(): ConversationProjectionState {
    return this.state;
  }

  /** The answer to `project`. */
  answer(): unknown {
    const conversation = this.state.conversation;
    return this.hooks.answer ? this.hooks.answer(conversation) : conversation;
  }
}
