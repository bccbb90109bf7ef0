import type {
  ContextObject,
  Scope,
  Variables,
} from "../../src/local/stepfunctions/language/query-language.ts";

/** A Context object as AWS documents it (input-output-contextobject.html), for language tests. */
export function contextObject(overrides: Partial<ContextObject> = {}): ContextObject {
  return {
    Execution: {
      Id: "arn:example:execution:m:e1",
      Input: { started: true },
      Name: "e1",
      RoleArn: "arn:example:role/r",
      StartTime: "2019-03-26T20:14:13.192Z",
      RedriveCount: 0,
    },
    State: { EnteredTime: "2019-03-26T20:14:13.192Z", Name: "Test", RetryCount: 0 },
    StateMachine: { Id: "arn:example:stateMachine:m", Name: "m" },
    ...overrides,
  };
}

/** The scope a state sees: its raw input, the Context object and the variables in scope. */
export function scopeOf(input: unknown, variables: Variables = {}, context = contextObject()): Scope {
  return { input, context, variables };
}
