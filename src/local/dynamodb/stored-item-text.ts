/**
 * A stored item's JSON text, standing for the item in an answer bound for the wire. SQLite holds
 * each item as JSON.stringify wrote it, which is what JSON.stringify writes again of the item
 * parsed back; so a Query's items can go out without being parsed and serialised once more
 * (~1.7 µs an item of ~150 bytes, a tenth of a ten-item Query's work in the engine).
 *
 * The contract: only a caller that asks (`DynamoDbCallContext.itemsAsText`, which only the wire
 * handler sets) gets these, and only as a top-level member of the answer (GetItem's `Item`) or an
 * element of a top-level list (Query's and Scan's `Items`); wire/answer-json.ts writes them as
 * they are. Every other caller (PartiQL, Step Functions' SDK integrations, tests) gets items.
 */
export class StoredItemText {
  constructor(readonly text: string) {}
}
