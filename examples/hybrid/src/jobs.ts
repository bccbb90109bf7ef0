/** What a client posts to `POST /jobs`. */
export interface JobRequest {
  readonly text: string;
}

/** What `api` routes to the `jobs` queue for `worker`. */
export interface Job extends JobRequest {
  readonly id: string;
  /** Who accepted the job: "lambda" or "fleet web". */
  readonly acceptedBy: string;
}

/** `api`'s answers, as the routing function in the definition reads them. */
export interface JobResponse {
  readonly statusCode: number;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** The job a request's body carries, or a message saying what is wrong with it. */
export function parseJobRequest(body: string | undefined, base64: boolean | undefined): JobRequest | string {
  let value: unknown;
  try {
    value = JSON.parse(base64 ? Buffer.from(body ?? "", "base64").toString("utf8") : (body ?? ""));
  } catch {
    return 'expected a JSON body: {"text": "hello"}';
  }
  const text = (value as { text?: unknown } | null)?.text;
  if (typeof text !== "string" || text.length === 0 || text.length > 1000) {
    return 'expected {"text": "<1 to 1000 characters>"}';
  }
  return { text };
}
