/**
 * The states that call nothing: Pass, Choice, Wait, Succeed and Fail
 * (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-states.html). A pure state's
 * Entered and Exited events and its transition are one transaction (re-running it after a crash
 * is harmless: it has no effect outside the execution); a Wait commits its end time first.
 */
import type { AslState } from "../language/query-language.ts";
import { StatesError } from "../language/states-error.ts";
import type { LiveExecution, LiveFrame, Runner } from "./engine-context.ts";

export async function runSimpleState(
  it: Runner,
  exec: LiveExecution,
  frame: LiveFrame,
  state: AslState,
  waitOver: boolean,
): Promise<void> {
  const gen = frame.gen;
  const language = exec.index.language(state);
  const scope = it.scope(exec, frame);
  it.entered(exec, frame, state);
  switch (state.Type) {
    case "Pass": {
      const result = "Result" in state ? state.Result : await language.effectiveInput(state, scope);
      const out = await language.output(state, scope, result);
      if (!it.alive(exec, frame, gen)) return;
      it.transition(exec, frame, state, out.output, out.assign, next(state), undefined, true);
      return;
    }
    case "Choice": {
      const chosen = await language.choose(state, scope);
      if (!it.alive(exec, frame, gen)) return;
      if (chosen.next === undefined) {
        throw new StatesError(
          "States.NoChoiceMatched",
          `No Choice Rule matched and no Default was specified for state '${frame.state}'.`,
        );
      }
      it.transition(exec, frame, state, chosen.output, chosen.assign, chosen.next, undefined, true);
      return;
    }
    case "Wait": {
      if (!waitOver) {
        const until = await language.waitUntil(state, scope, it.clock.now());
        if (!it.alive(exec, frame, gen)) return;
        frame.phase = "wait";
        frame.wakeAt = until;
        it.commit(exec, [frame]);
        it.arm(exec, frame, until, () => {
          if (it.alive(exec, frame, gen))
            void it.guard(exec, frame, () => runSimpleState(it, exec, frame, state, true));
        });
        return;
      }
      const out = await language.output(state, scope, await language.effectiveInput(state, scope));
      if (!it.alive(exec, frame, gen)) return;
      it.transition(exec, frame, state, out.output, out.assign, next(state));
      it.drive(exec, frame);
      return;
    }
    case "Succeed": {
      const out = await language.output(state, scope, await language.effectiveInput(state, scope));
      if (!it.alive(exec, frame, gen)) return;
      it.transition(exec, frame, state, out.output, out.assign, undefined);
      return;
    }
    case "Fail": {
      const failure = await language.failure(state, scope);
      if (!it.alive(exec, frame, gen)) return;
      it.frameFailed(exec, frame, failure.error ?? "", failure.cause ?? "");
      return;
    }
    default:
      throw new StatesError(
        "States.Runtime",
        `unknown state type ${JSON.stringify(state.Type)} in state '${frame.state}'`,
      );
  }
}

/** `Next`, or undefined for `End: true`. */
export function next(state: AslState): string | undefined {
  return state.End === true ? undefined : (state.Next as string | undefined);
}
