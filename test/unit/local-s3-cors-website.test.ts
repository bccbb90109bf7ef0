import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { corsPreflight, corsResponseHeaders } from "../../src/local/s3/cors.ts";
import { S3Error } from "../../src/local/s3/errors.ts";
import { resolveWebsite } from "../../src/local/s3/website-resolver.ts";

const CORS = {
  CorsConfiguration: {
    CorsRules: [
      {
        AllowedOrigins: ["https://*.example.com"],
        AllowedMethods: ["PUT", "POST"],
        AllowedHeaders: ["x-amz-*", "Content-Type"],
        ExposedHeaders: ["ETag"],
        MaxAge: 3000,
      },
      { AllowedOrigins: ["*"], AllowedMethods: ["GET"] },
    ],
  },
};

function refusal(fn: () => unknown): { code: string; status: number; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof S3Error);
    return { code: error.code, status: error.statusCode, message: error.message };
  }
  assert.fail("expected an S3Error");
}

describe("S3 CORS evaluation", () => {
  test("answers a preflight from the first rule matching origin, method and every requested header", () => {
    const headers = corsPreflight(CORS, {
      origin: "https://app.example.com",
      method: "PUT",
      requestHeaders: ["content-type", "x-amz-meta-a"],
    });
    assert.deepEqual(headers, {
      "access-control-allow-origin": "https://app.example.com",
      "access-control-allow-credentials": "true",
      "access-control-expose-headers": "ETag",
      "access-control-max-age": "3000",
      "access-control-allow-methods": "PUT, POST",
      "access-control-allow-headers": "content-type, x-amz-meta-a",
      vary: "Origin, Access-Control-Request-Headers, Access-Control-Request-Method",
    });
    const any = corsPreflight(CORS, { origin: "http://elsewhere.test", method: "GET" });
    assert.equal(any["access-control-allow-origin"], "*");
    assert.equal(any["access-control-allow-credentials"], undefined);
  });

  test("refuses as S3 does: no configuration, no matching rule, no Origin", () => {
    assert.deepEqual(
      refusal(() => corsPreflight({}, { origin: "https://a.test", method: "GET" })),
      {
        code: "AccessForbidden",
        status: 403,
        message: "CORSResponse: CORS is not enabled for this bucket.",
      },
    );
    const notAllowed = refusal(() =>
      corsPreflight(CORS, {
        origin: "https://app.example.com",
        method: "PUT",
        requestHeaders: ["authorization"],
      }),
    );
    assert.equal(notAllowed.code, "AccessForbidden");
    assert.match(notAllowed.message, /^CORSResponse: This CORS request is not allowed\./);
    assert.equal(
      refusal(() => corsPreflight(CORS, { origin: "https://example.com", method: "DELETE" })).status,
      403,
    );
    assert.deepEqual(
      refusal(() => corsPreflight(CORS, { origin: undefined, method: "GET" })),
      {
        code: "BadRequest",
        status: 400,
        message: "Insufficient information. Origin request header needed.",
      },
    );
  });

  test("adds headers to an actual request only when a rule matches it", () => {
    assert.equal(
      corsResponseHeaders(CORS, { origin: "https://x.example.com", method: "POST" })[
        "access-control-allow-origin"
      ],
      "https://x.example.com",
    );
    assert.deepEqual(corsResponseHeaders(CORS, { origin: "https://x.example.com", method: "DELETE" }), {});
    assert.deepEqual(corsResponseHeaders({}, { origin: "https://x.example.com", method: "GET" }), {});
  });
});

describe("S3 website resolver", () => {
  const site = { WebsiteConfiguration: { IndexDocument: "index.html", ErrorDocument: "404.html" } };
  const keys = new Set(["index.html", "docs/index.html", "about.html", "404.html"]);
  const exists = (key: string) => keys.has(key);

  test("serves index documents for the root and folders, and objects by key", () => {
    assert.deepEqual(resolveWebsite(site, { path: "/" }, exists), { kind: "object", key: "index.html" });
    assert.deepEqual(resolveWebsite(site, { path: "/docs/" }, exists), {
      kind: "object",
      key: "docs/index.html",
    });
    assert.deepEqual(resolveWebsite(site, { path: "/about.html" }, exists), {
      kind: "object",
      key: "about.html",
    });
  });

  test("redirects a folder without its trailing slash (302), as S3 does", () => {
    assert.deepEqual(resolveWebsite(site, { path: "/docs" }, exists), {
      kind: "redirect",
      status: 302,
      location: "/docs/",
    });
  });

  test("answers 404 with the error document when the bucket has one", () => {
    assert.deepEqual(resolveWebsite(site, { path: "/missing" }, exists), {
      kind: "not-found",
      key: "missing",
      errorDocument: "404.html",
    });
    const bare = { WebsiteConfiguration: { IndexDocument: { Suffix: "index.html" } } };
    assert.deepEqual(resolveWebsite(bare, { path: "/empty/" }, exists), {
      kind: "not-found",
      key: "empty/index.html",
    });
    assert.equal(resolveWebsite({}, { path: "/" }, exists), undefined);
  });

  test("applies RedirectAllRequestsTo and routing rules", () => {
    const all = {
      WebsiteConfiguration: { RedirectAllRequestsTo: { HostName: "example.com", Protocol: "https" } },
    };
    assert.deepEqual(resolveWebsite(all, { path: "/a/b" }, exists), {
      kind: "redirect",
      status: 301,
      location: "https://example.com/a/b",
    });
    const rules = {
      WebsiteConfiguration: {
        IndexDocument: "index.html",
        RoutingRules: [
          {
            RoutingRuleCondition: { KeyPrefixEquals: "old/" },
            RedirectRule: { ReplaceKeyPrefixWith: "docs/" },
          },
        ],
      },
    };
    assert.deepEqual(resolveWebsite(rules, { path: "/old/page.html", host: "h:1" }, exists), {
      kind: "redirect",
      status: 301,
      location: "http://h:1/docs/page.html",
    });
  });
});
