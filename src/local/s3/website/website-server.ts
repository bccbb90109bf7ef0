/**
 * One website bucket served as S3's website endpoint serves it
 * (https://docs.aws.amazon.com/AmazonS3/latest/userguide/WebsiteEndpoints.html, "Key differences
 * between a website endpoint and a REST API endpoint"): anonymous GET and HEAD only, the index
 * document for a folder, errors as HTML pages (the bucket's error document with the 404 status
 * when it has one), each object with its stored Content-Type. It reads the store on every request,
 * so an upload is served at once. The front door's Host check (DNS rebinding) applies; the
 * cross-site check does not: a website is meant to be visited.
 */
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import {
  closeServer,
  type FrontDoorOptions,
  HostGuard,
  listenOn,
  timeoutOptions,
  urlHostOf,
} from "../../front-door/index.ts";
import { escapeXml } from "../../wire/index.ts";
import type { S3Store } from "../s3-store.ts";
import { resolveWebsite } from "../website-resolver.ts";

export interface WebsiteServerOptions extends FrontDoorOptions {
  /** The store to read, per request (dev replaces its cloud when the definition changes). */
  readonly store: () => S3Store | undefined;
  readonly bucket: string;
  /** @default "127.0.0.1" */
  readonly host?: string;
  /** @default 0 (a free port) */
  readonly port?: number;
}

export interface WebsiteServer {
  readonly bucket: string;
  /** `http://127.0.0.1:<port>/` */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

export async function startWebsiteServer(options: WebsiteServerOptions): Promise<WebsiteServer> {
  const host = options.host ?? "127.0.0.1";
  let guard: HostGuard | undefined;
  const server: Server = createServer(timeoutOptions(options.timeouts), (req, res) => {
    if (!guard?.allows(req.headers.host)) {
      res.setHeader("connection", "close");
      errorPage(res, 403, "AccessDenied", "Access Denied", {}, req.method === "HEAD");
      return;
    }
    serve(options, req, res);
  });
  const port = await listenOn(server, host, options.port);
  guard = new HostGuard(port, host, options.allowedHosts);
  return {
    bucket: options.bucket,
    url: `http://${urlHostOf(host)}:${port}/`,
    port,
    close: () => closeServer(server),
  };
}

function serve(options: WebsiteServerOptions, req: IncomingMessage, res: ServerResponse): void {
  const head = req.method === "HEAD";
  if (req.method !== "GET" && !head) {
    res.setHeader("allow", "GET, HEAD");
    errorPage(res, 405, "MethodNotAllowed", "The specified method is not allowed against this resource.", {
      Method: req.method ?? "",
      ResourceType: "OBJECT",
    });
    return;
  }
  const store = options.store();
  const bucket = store?.bucket(options.bucket);
  if (!store || !bucket) {
    errorPage(
      res,
      404,
      "NoSuchBucket",
      "The specified bucket does not exist",
      { BucketName: options.bucket },
      head,
    );
    return;
  }
  const path = decodedPath(req.url ?? "/");
  if (path === undefined) {
    errorPage(res, 400, "InvalidURI", "Couldn't parse the specified URI.", {}, head);
    return;
  }
  const exists = (key: string) => {
    try {
      store.headObject(options.bucket, key);
      return true;
    } catch {
      return false;
    }
  };
  const resolution = resolveWebsite(bucket.configuration, { path, host: req.headers.host ?? "" }, exists);
  if (!resolution) {
    errorPage(
      res,
      404,
      "NoSuchWebsiteConfiguration",
      "The specified bucket does not have a website configuration",
      { BucketName: options.bucket },
      head,
    );
    return;
  }
  if (resolution.kind === "redirect") {
    res.writeHead(resolution.status, { location: resolution.location, "content-length": 0 });
    res.end();
    return;
  }
  if (resolution.kind === "object") {
    sendObject(store, options.bucket, resolution.key, 200, req, res);
    return;
  }
  if (resolution.errorDocument !== undefined) {
    sendObject(store, options.bucket, resolution.errorDocument, 404, req, res);
    return;
  }
  errorPage(res, 404, "NoSuchKey", "The specified key does not exist.", { Key: resolution.key }, head);
}

function sendObject(
  store: S3Store,
  bucket: string,
  key: string,
  status: number,
  req: IncomingMessage,
  res: ServerResponse,
): void {
  let object: ReturnType<S3Store["getObject"]>;
  try {
    object = store.getObject(bucket, key);
  } catch {
    // Deleted between the lookup and the read.
    errorPage(
      res,
      404,
      "NoSuchKey",
      "The specified key does not exist.",
      { Key: key },
      req.method === "HEAD",
    );
    return;
  }
  const headers = {
    "content-type": object.contentType,
    etag: object.etag,
    "last-modified": new Date(object.lastModified).toUTCString(),
    "x-amz-request-id": randomUUID(),
  };
  if (status === 200 && req.headers["if-none-match"] === object.etag) {
    res.writeHead(304, headers);
    res.end();
    return;
  }
  res.writeHead(status, { ...headers, "content-length": object.body.length });
  res.end(req.method === "HEAD" ? undefined : object.body);
}

/** S3's website error page: an HTML list of the code, message and details. */
function errorPage(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details: Record<string, string>,
  head = false,
): void {
  const requestId = randomUUID();
  const items = [
    `Code: ${code}`,
    `Message: ${message}`,
    ...Object.entries(details).map(([name, value]) => `${name}: ${value}`),
    `RequestId: ${requestId}`,
    `HostId: ${requestId}`,
  ];
  const title = `${status} ${STATUS_TEXT[status] ?? "Error"}`;
  const html = `<html>\n<head><title>${title}</title></head>\n<body>\n<h1>${title}</h1>\n<ul>\n${items
    .map((item) => `<li>${escapeXml(item)}</li>`)
    .join("\n")}\n</ul>\n<hr/>\n</body>\n</html>\n`;
  res.writeHead(status, {
    "content-type": "text/html; charset=utf-8",
    "content-length": Buffer.byteLength(html),
    "x-amz-request-id": requestId,
    "x-amz-error-code": code,
  });
  res.end(head ? undefined : html);
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: "Bad Request",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
};

/** The request path, percent-decoded (keys are data: no `.`/`..` resolution), without its query. */
function decodedPath(target: string): string | undefined {
  const question = target.indexOf("?");
  const raw = question < 0 ? target : target.slice(0, question);
  try {
    return decodeURIComponent(raw.startsWith("/") ? raw : `/${raw}`);
  } catch {
    return undefined;
  }
}
