/**
 * The digests States.Hash (JSONPath) and `$hash` (JSONata) compute: the algorithms AWS lists
 * (LIMITS.stepFunctionsIntrinsics.hashAlgorithm, from
 * https://docs.aws.amazon.com/step-functions/latest/dg/intrinsic-functions.html#asl-intrsc-func-hash-calc
 * and transforming-data.html#jsonata-functions-provided-by-sfn), as lowercase hex of the UTF-8 text.
 */
import { createHash } from "node:crypto";
import { LIMITS } from "../../../model/limits.ts";

/** The algorithm names AWS accepts: MD5, SHA-1, SHA-256, SHA-384, SHA-512. */
export const HASH_ALGORITHMS: readonly string[] = LIMITS.stepFunctionsIntrinsics.hashAlgorithm.values;

/** The hex digest of `text`, or undefined when AWS does not offer `algorithm`. */
export function hexDigest(text: string, algorithm: unknown): string | undefined {
  if (typeof algorithm !== "string" || !HASH_ALGORITHMS.includes(algorithm)) return undefined;
  // AWS's names are Node's without the hyphen, in lowercase (SHA-256 → sha256).
  return createHash(algorithm.replace("-", "").toLowerCase()).update(text, "utf8").digest("hex");
}
