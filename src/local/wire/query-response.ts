/** Writing a query-protocol (XML) answer: the body with AWS's headers, success or error alike. */
import type { ServerResponse } from "node:http";
import { queryResponse } from "./xml.ts";

/** Sends an XML body with the headers every query-protocol answer carries. */
export function sendXml(res: ServerResponse, status: number, body: string, requestId: string): void {
  res.writeHead(status, {
    "content-type": "text/xml",
    "x-amzn-requestid": requestId,
    "content-length": Buffer.byteLength(body),
  });
  res.end(body);
}

/** A successful call: `<ActionResponse>` around `result`, which is absent for actions with none. */
export function sendQueryResponse(
  res: ServerResponse,
  action: string,
  xmlns: string,
  result: string | undefined,
  requestId: string,
): void {
  sendXml(res, 200, queryResponse(action, xmlns, result, requestId), requestId);
}
