/** What API Gateway answers itself, with HTTP APIs' exact statuses and bodies. */

export interface GatewayResponse {
  readonly status: number;
  /** Name/value pairs; a name may repeat (`set-cookie`). */
  readonly headers: [string, string][];
  readonly body: Buffer;
}

function message(status: number, text: string): GatewayResponse {
  return {
    status,
    headers: [["content-type", "application/json"]],
    body: Buffer.from(JSON.stringify({ message: text })),
  };
}

export const GATEWAY = {
  /** No route matches, or the path is outside the stage. */
  notFound: () => message(404, "Not Found"),
  /** The function failed, was throttled, or answered in a shape the gateway cannot map. */
  internalError: () => message(500, "Internal Server Error"),
  /** The integration did not answer within 30 seconds. */
  unavailable: () => message(503, "Service Unavailable"),
  /** The event is over Lambda's 6 MB invoke limit. */
  eventTooLarge: () => message(413, "Request Too Long"),
  /** The body is over the HTTP API's 10 MB payload limit; the front end answers in plain text. */
  bodyTooLarge: (limit: number): GatewayResponse => ({
    status: 413,
    headers: [["content-type", "text/plain; charset=utf-8"]],
    body: Buffer.from(`HTTP content length exceeded ${limit} bytes.`),
  }),
} as const;
