import { itemSize as engineItemSize } from "../item-size.ts";
import type { Item } from "../expressions/index.ts";

/**
 * A stream record's SizeBytes: the DynamoDB item size of its Keys plus its images, by the rules of
 * https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/CapacityUnitCalculations.html
 * — the engine's own item size (`../item-size.ts`), so a number (zero, negative, fractional) is
 * counted once, one way. The Lambda guide's examples agree: Keys {Id: N 101} with NewImage
 * {Message: S "New item!", Id: N 101} is 5 + 21 = 26 bytes
 * (https://docs.aws.amazon.com/lambda/latest/dg/with-ddb.html), and the differential suite
 * (test/integration/local-dynamodb-oracle.test.ts) matches DynamoDB Local's SizeBytes record by record.
 */
export function itemSize(item: Item | undefined): number {
  return item === undefined ? 0 : engineItemSize(item);
}
