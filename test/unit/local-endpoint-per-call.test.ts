/**
 * What the endpoint does on every call, made cheaper for issue 14 (no URL parse for `/`, one pass
 * over the Authorization header, the served-region check without splitting the ARN): the answers
 * stay exactly those of the full parse.
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { requestUrl } from "../../src/local/endpoint/request-url.ts";
import { requireServed } from "../../src/local/endpoint/resource-scope.ts";
import { signatureRefusal } from "../../src/local/endpoint/signature-check.ts";
import { normaliseApp } from "../../src/model/normalise.ts";

const spec = normaliseApp({
  name: "g",
  queues: { jobs: {} },
  functions: { f: { handler: "src/f.handler" } },
});
const signed = (authorization: string) => ({ authorization, "x-amz-date": "20260101T000000Z" });

describe("the endpoint's per-call checks", () => {
  test("`/` is read without parsing a URL, and gives what URL gives", () => {
    for (const target of [
      "/",
      undefined,
      "/?Action=GetCallerIdentity",
      "/2015-03-31/functions/f/invocations?Qualifier=1",
    ]) {
      const fast = requestUrl(target);
      const full = new URL(target ?? "/", "http://local");
      assert.equal(fast.pathname, full.pathname);
      assert.equal(fast.search, full.search);
      assert.deepEqual([...fast.searchParams], [...full.searchParams]);
    }
    assert.equal(requestUrl("/") instanceof URL, false);
  });

  test("a resource in the cloud's region and account is served; a look-alike region or account is not", () => {
    const here = `arn:aws:sqs:${spec.region}:${spec.accountId}:jobs`;
    assert.doesNotThrow(() => requireServed(spec, "sqs:SendMessage", here));
    assert.doesNotThrow(() => requireServed(spec, "sqs:ListQueues", "*"));
    const elsewhere = [
      `arn:aws:sqs:${spec.region}0:${spec.accountId}:jobs`,
      `arn:aws:sqs:${spec.region}:${spec.accountId}9:jobs`,
      `arn:aws:sqs:${spec.region}:1${spec.accountId}:jobs`,
      `arn:aws:sqs:x${spec.region}:${spec.accountId}:jobs`,
    ];
    for (const arn of elsewhere)
      assert.throws(() => requireServed(spec, "sqs:SendMessage", arn), { code: "QueueDoesNotExist" }, arn);
    // Fewer than six parts is not an ARN: nothing to refuse, as before.
    assert.doesNotThrow(() =>
      requireServed(spec, "sqs:SendMessage", `arn:aws:sqs:${spec.region}:${spec.accountId}`),
    );
  });

  test("an Authorization header is refused for each missing field, with AWS's messages in order", () => {
    const ok =
      "AWS4-HMAC-SHA256 Credential=AKID/20260101/us-east-1/sqs/aws4_request, SignedHeaders=host, Signature=0";
    assert.equal(signatureRefusal(signed(ok)), undefined);
    // The last of a repeated field counts, as the header's map kept it.
    assert.equal(signatureRefusal(signed(`${ok}, Signature=`))?.code, "IncompleteSignature");
    const refusal = signatureRefusal({ authorization: "AWS4-HMAC-SHA256 Credential=AKID/2026/us-east-1" });
    assert.equal(refusal?.status, 400);
    assert.match(
      refusal?.message ?? "",
      /^Credential should be scoped to a valid region.*Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header\. Authorization=AWS4/,
    );
    assert.equal(signatureRefusal({})?.code, "MissingAuthenticationToken");
    assert.equal(
      signatureRefusal({}, new URLSearchParams("X-Amz-Credential=a"))?.code,
      "IncompleteSignature",
    );
  });
});
