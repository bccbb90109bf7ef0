/**
 * Projection expressions:
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/Expressions.ProjectionExpressions.html
 */
import assert from "node:assert/strict";
import { describe, test } from "node:test";
import type { Item } from "../../src/local/dynamodb/index.ts";
import { N, project, refuses, S } from "../support/dynamodb-expressions.ts";

const item: Item = {
  Id: N(123),
  Title: S("Bicycle 123"),
  Price: N(500),
  RelatedItems: { L: [N(341), N(472), N(649)] },
  ProductReviews: {
    M: {
      FiveStar: { L: [S("Excellent!"), S("Do yourself a favor")] },
      OneStar: { L: [S("Terrible")] },
    },
  },
};

describe("projection expressions", () => {
  test("selects top-level and nested attributes, as the guide's example", () => {
    assert.deepEqual(project(item, "Title, Price, RelatedItems[0], ProductReviews.FiveStar"), {
      Title: S("Bicycle 123"),
      Price: N(500),
      RelatedItems: { L: [N(341)] },
      ProductReviews: { M: { FiveStar: { L: [S("Excellent!"), S("Do yourself a favor")] } } },
    });
  });

  test("list elements come back compacted, in index order", () => {
    assert.deepEqual(project(item, "RelatedItems[2], RelatedItems[0]"), {
      RelatedItems: { L: [N(341), N(649)] },
    });
    assert.deepEqual(project(item, "RelatedItems[7]"), {});
  });

  test("paths that match nothing are left out", () => {
    assert.deepEqual(project(item, "Nothing, Title.x, ProductReviews.ThreeStar"), {});
  });

  test("placeholders stand for reserved words and names with dots", () => {
    assert.deepEqual(
      project({ Comment: S("c"), "a.b": N(1) }, "#c, #ab", { "#c": "Comment", "#ab": "a.b" }),
      {
        Comment: S("c"),
        "a.b": N(1),
      },
    );
  });

  test("refuses overlapping and conflicting paths, reserved words, syntax errors", () => {
    refuses(
      () => project(item, "ProductReviews, ProductReviews.FiveStar"),
      "Invalid ProjectionExpression: Two document paths overlap with each other; must remove or rewrite one of these paths; path one: [ProductReviews], path two: [ProductReviews, FiveStar]",
    );
    refuses(
      () => project(item, "a.b, a[0]"),
      "Invalid ProjectionExpression: Two document paths conflict with each other; must remove or rewrite one of these paths; path one: [a, b], path two: [a, [0]]",
    );
    refuses(
      () => project(item, "Title, Comment"),
      "Invalid ProjectionExpression: Attribute name is a reserved keyword; reserved keyword: Comment",
    );
    refuses(
      () => project(item, "Title,"),
      'Invalid ProjectionExpression: Syntax error; token: "<EOF>", near: ","',
    );
    refuses(
      () => project(item, "Title Price"),
      'Invalid ProjectionExpression: Syntax error; token: "Price", near: "Title Price"',
    );
    refuses(
      () => project(item, "#x", { "#y": "y" }),
      "Invalid ProjectionExpression: An expression attribute name used in the document path is not defined; attribute name: #x",
    );
  });
});
