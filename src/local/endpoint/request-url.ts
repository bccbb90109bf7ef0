/**
 * The path and query of a request to the endpoint. The JSON protocols (SQS, EventBridge, CloudWatch
 * Logs, DynamoDB) post every call to `/`: for that path no URL is parsed and the query is made only
 * if read, because a `new URL` on every call was a measurable part of each request's cost. Any
 * other target is parsed as before.
 */
export interface RequestUrl {
  readonly pathname: string;
  /** `?…`, or "" when there is no query. */
  readonly search: string;
  readonly searchParams: URLSearchParams;
}

export function requestUrl(target: string | undefined): RequestUrl {
  if (target === undefined || target === "/") return new RootUrl();
  return new URL(target, "http://local");
}

/** `/` without a query; its (empty) parameters are made on first read, one per request. */
class RootUrl implements RequestUrl {
  readonly pathname = "/";
  readonly search = "";
  private params: URLSearchParams | undefined;

  get searchParams(): URLSearchParams {
    this.params ??= new URLSearchParams();
    return this.params;
  }
}
