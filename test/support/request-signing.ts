/**
 * Headers for raw requests in tests: a syntactically complete SigV4 `Authorization` (the local
 * endpoint reads the credential scope and does not verify signatures), and the control API's
 * session token, read from the state folder as the CLI reads it.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";

export function signedHeaders(
  service: string,
  region = "us-east-1",
  accessKeyId = "AKIDEXAMPLE",
): Record<string, string> {
  const date = "20261205";
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/${date}/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${"0".repeat(64)}`,
    "x-amz-date": `${date}T000000Z`,
  };
}

/** The headers the CLI sends to a running `dev`'s control API (its token from `.sluice/dev.json`). */
export function controlHeaders(stateDir: string): Record<string, string> {
  const state = JSON.parse(readFileSync(join(stateDir, "dev.json"), "utf8")) as { token?: string };
  return state.token === undefined ? {} : { authorization: `Bearer ${state.token}` };
}
