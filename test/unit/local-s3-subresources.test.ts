import assert from "node:assert/strict";
import { describe, test } from "node:test";
import { S3Error } from "../../src/local/s3/errors.ts";
import { SUBRESOURCES } from "../../src/local/s3/wire/bucket-subresources.ts";
import { parseXml } from "../../src/local/s3/wire/xml-tree.ts";

function sub(name: string) {
  const found = SUBRESOURCES[name];
  assert.ok(found, name);
  return found;
}

function refusal(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof S3Error, String(error));
    return { code: error.code, message: error.message };
  }
  assert.fail("expected an S3Error");
}

describe("S3 configuration XML", () => {
  test("refuses bodies that are not well formed as MalformedXML", () => {
    // A character reference past Unicode's last code point names no character.
    const beyond = ["<a>&#x110000;</a>", "<a>&#99999999999;</a>"];
    for (const bad of ["", "<a>", "<a></b>", "<a/><b/>", "text", "<a><b></a></b>", ...beyond]) {
      assert.equal(refusal(() => parseXml(bad)).code, "MalformedXML", bad);
    }
    const tree = parseXml(
      '<?xml version="1.0"?><x:A xmlns:x="u"><__proto__>v &amp; w</__proto__><!-- c --></x:A>',
    );
    assert.equal(tree.name, "A");
    assert.equal(tree.children[0]?.name, "__proto__");
    assert.equal(tree.children[0]?.text, "v & w");
    assert.equal(Object.getPrototypeOf(tree), Object.prototype);
  });

  test("stores a lifecycle configuration in CloudFormation's shape and renders it back", () => {
    const xml = `<LifecycleConfiguration><Rule><ID>r</ID><Filter><Prefix>logs/</Prefix></Filter><Status>Enabled</Status>
      <Expiration><Days>30</Days></Expiration><AbortIncompleteMultipartUpload><DaysAfterInitiation>7</DaysAfterInitiation></AbortIncompleteMultipartUpload></Rule></LifecycleConfiguration>`;
    const stored = sub("lifecycle").parse(Buffer.from(xml));
    assert.deepEqual(stored, {
      Rules: [
        {
          Id: "r",
          Status: "Enabled",
          Prefix: "logs/",
          ExpirationInDays: 30,
          AbortIncompleteMultipartUpload: { DaysAfterInitiation: 7 },
        },
      ],
    });
    const rendered = sub("lifecycle").render(stored);
    assert.match(
      rendered,
      /<Rule><ID>r<\/ID><Filter><Prefix>logs\/<\/Prefix><\/Filter><Status>Enabled<\/Status><Expiration><Days>30<\/Days><\/Expiration>/,
    );
    const zero = refusal(() =>
      sub("lifecycle").parse(
        Buffer.from(
          "<LifecycleConfiguration><Rule><Status>Enabled</Status><Expiration><Days>0</Days></Expiration></Rule></LifecycleConfiguration>",
        ),
      ),
    );
    assert.equal(zero.code, "InvalidArgument");
  });

  test("groups CloudFormation's one-event notification entries back into configurations", () => {
    const stored = {
      LambdaConfigurations: [
        {
          Event: "s3:ObjectCreated:*",
          Function: "arn:fn",
          Filter: { S3Key: { Rules: [{ Name: "suffix", Value: ".md" }] } },
        },
        { Event: "s3:ObjectRemoved:*", Function: "arn:fn" },
      ],
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    };
    const xml = sub("notification").render(stored);
    assert.equal(xml.match(/<CloudFunctionConfiguration>/g)?.length, 2);
    assert.match(
      xml,
      /<CloudFunction>arn:fn<\/CloudFunction><Event>s3:ObjectCreated:\*<\/Event><Filter><S3Key><FilterRule><Name>suffix<\/Name>/,
    );
    assert.match(xml, /<EventBridgeConfiguration><\/EventBridgeConfiguration>/);
    assert.equal(xml, sub("notification").render(stored), "ids are the same on every GET");
  });

  test("answers S3's errors for CORS methods and website documents it refuses", () => {
    const cors = refusal(() =>
      sub("cors").parse(
        Buffer.from(
          "<CORSConfiguration><CORSRule><AllowedOrigin>*</AllowedOrigin><AllowedMethod>PATCH</AllowedMethod></CORSRule></CORSConfiguration>",
        ),
      ),
    );
    assert.deepEqual(cors, {
      code: "InvalidRequest",
      message: "Found unsupported HTTP method in CORS config. Unsupported method is PATCH",
    });
    const website = refusal(() =>
      sub("website").parse(
        Buffer.from(
          "<WebsiteConfiguration><ErrorDocument><Key>e.html</Key></ErrorDocument></WebsiteConfiguration>",
        ),
      ),
    );
    assert.equal(
      website.message,
      "A value for IndexDocument Suffix must be provided if RedirectAllRequestsTo is empty",
    );
    assert.equal(refusal(() => sub("policy").parse(Buffer.from("[]"))).code, "MalformedPolicy");
  });
});
