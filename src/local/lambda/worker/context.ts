/**
 * The context object Lambda's Node.js runtime passes to the handler, built per invocation from
 * the environment's variables and the invoke request's fields.
 */
interface StaticFields {
  readonly functionName: string;
  readonly functionVersion: string;
  readonly invokedFunctionArn: string;
  readonly memoryLimitInMB: string;
  readonly logGroupName: string;
  readonly logStreamName: string;
}

export type ContextFactory = (
  requestId: string,
  deadlineMs: number,
  clientContext: string | undefined,
  offsetMs: number,
) => object;

/**
 * `legacy` (Node.js 20 and 22) adds `callbackWaitsForEmptyEventLoop`; the Node.js 24 runtime's
 * context has no callback members. `getRemainingTimeInMillis` counts down from the host's deadline
 * on this thread's wall clock shifted by the host clock's offset at dispatch: the worker cannot
 * read the host's Clock, and a manual clock's jumps after dispatch are not seen here.
 */
export function contextFactory(functionArn: string, legacy: boolean): ContextFactory {
  const env = process.env;
  const fields: StaticFields = {
    functionName: env.AWS_LAMBDA_FUNCTION_NAME ?? "",
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION ?? "$LATEST",
    invokedFunctionArn: functionArn,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE ?? "",
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME ?? "",
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME ?? "",
  };
  // Object literals of one fixed shape: spreading `fields` into a fresh object and adding to it
  // cost ~3 µs per invocation (V8's slow path), the literal well under 0.1 µs.
  const f = fields;
  const remaining = (deadline: number, offsetMs: number) => () =>
    Math.max(0, deadline - (Date.now() + offsetMs));
  const build = (
    requestId: string,
    deadlineMs: number,
    clientContext: string | undefined,
    offsetMs: number,
  ): Record<string, unknown> => ({
    functionName: f.functionName,
    functionVersion: f.functionVersion,
    invokedFunctionArn: f.invokedFunctionArn,
    memoryLimitInMB: f.memoryLimitInMB,
    logGroupName: f.logGroupName,
    logStreamName: f.logStreamName,
    awsRequestId: requestId,
    clientContext: clientContext === undefined ? undefined : JSON.parse(clientContext),
    identity: undefined,
    getRemainingTimeInMillis: remaining(deadlineMs, offsetMs),
  });
  if (!legacy) return build;
  // Adding one member to the fresh literal is a plain shape transition, as cheap as the literal.
  return (requestId, deadlineMs, clientContext, offsetMs) => {
    const context = build(requestId, deadlineMs, clientContext, offsetMs);
    context.callbackWaitsForEmptyEventLoop = true;
    return context;
  };
}
