// What the local DynamoDB offers the rest of the local cloud. Today: its expression languages
// (condition, filter, key condition, update, projection), pure and independent of storage.
export * from "./expressions/index.ts";
