import { describe } from "node:test";
import { type Case, runCases } from "../support/model-validate.ts";

const W = "functions.work";
const Q = "queues.jobs";
const C = "functions.work.consumes";

const unknownKeys: readonly Case[] = [
  { rule: "an unknown app option", set: { regoin: "eu-west-1" }, mentions: 'Did you mean "region"?' },
  {
    rule: "an unknown queue option",
    set: { [`${Q}.visibilityTimout`]: "1 minute" },
    mentions: 'rename "visibilityTimout" to "visibilityTimeout"',
  },
  { rule: "an unknown function option", set: { [`${W}.memory`]: 256 }, mentions: '"memorySize"' },
  {
    rule: "an unknown consumes option",
    set: { [`${C}.maxBatchingWindow`]: "1 second" },
    mentions: '"maximumBatchingWindow"',
  },
  {
    rule: "an unknown deadLetter option",
    set: { [`${Q}.deadLetter.maxReceiveCount`]: 3, [`${Q}.deadLetter.maxRecieveCount`]: 3 },
    mentions: '"maxReceiveCount"',
  },
  { rule: "an unknown defaults option", set: { "defaults.handler": "x.y" }, mentions: "one of" },
  {
    rule: "an unknown option with nothing close",
    set: { [`${W}.zzzzzzzz`]: 1 },
    mentions: 'remove "zzzzzzzz"',
  },
];

const shapes: readonly Case[] = [
  { rule: "a definition that is not an object", change: () => null, path: "(definition)", value: null },
  { rule: "queues that are not an object", set: { [`${W}.consumes`]: undefined, queues: ["jobs"] } },
  { rule: "a function that is not an object", set: { "functions.other": "src/o.handler" } },
  { rule: "no functions", set: { functions: undefined } },
  { rule: "memorySize as a string", set: { [`${W}.memorySize`]: "256" }, mentions: "must be a number" },
  { rule: "fifo that is not a boolean", set: { [`${Q}.fifo`]: "yes" } },
  {
    rule: "reportBatchItemFailures that is not a boolean",
    set: { [`${C}.reportBatchItemFailures`]: "true" },
  },
  { rule: "an unsupported runtime", set: { [`${W}.runtime`]: "nodejs18.x" }, mentions: '"nodejs22.x"' },
  { rule: "a description over 256 characters", set: { [`${W}.description`]: "x".repeat(257) } },
  { rule: "a description that is not a string", set: { [`${W}.description`]: 7 } },
  { rule: "routes of the wrong type", set: { [`${W}.routes`]: 5 } },
  { rule: "routes listing a non-string", set: { [`${W}.routes`]: ["jobs", 1] } },
];

const ranges: readonly Case[] = [
  { rule: "memorySize below 128 MB", set: { [`${W}.memorySize`]: 64 }, mentions: "128" },
  { rule: "memorySize above 10240 MB", set: { [`${W}.memorySize`]: 10241 }, mentions: "10240" },
  { rule: "a fractional memorySize", set: { [`${W}.memorySize`]: 256.5 }, mentions: "whole number" },
  {
    rule: "a timeout above 15 minutes",
    set: { [`${Q}.visibilityTimeout`]: "1 hour", [`${W}.timeout`]: "16 minutes" },
    mentions: '"15 minutes"',
  },
  { rule: "a timeout of zero", set: { [`${W}.timeout`]: "0 seconds" }, mentions: '"1 second"' },
  { rule: "a defaults timeout out of range", set: { "defaults.timeout": "1 day" } },
  { rule: "a negative reservedConcurrency", set: { [`${W}.reservedConcurrency`]: -1 } },
  {
    rule: "a reservedConcurrency that leaves under 100 unreserved",
    set: { [`${W}.reservedConcurrency`]: 901 },
    mentions: "900",
  },
  {
    rule: "a visibilityTimeout above 12 hours",
    set: { [`${Q}.visibilityTimeout`]: "13 hours" },
    mentions: '"12 hours"',
  },
  { rule: "a delay above 15 minutes", set: { [`${Q}.delay`]: "16 minutes" } },
  { rule: "a retention below 1 minute", set: { [`${Q}.retention`]: "30 seconds" }, mentions: '"1 minute"' },
  { rule: "a retention above 14 days", set: { [`${Q}.retention`]: "15 days" }, mentions: '"14 days"' },
  { rule: "a maxMessageSize below 1 KiB", set: { [`${Q}.maxMessageSize`]: 1023 } },
  { rule: "a maxMessageSize above 1 MiB", set: { [`${Q}.maxMessageSize`]: 1048577 }, mentions: "1048576" },
  { rule: "a receiveWaitTime above 20 seconds", set: { [`${Q}.receiveWaitTime`]: "21 seconds" } },
  { rule: "a maxReceiveCount of 0", set: { [`${Q}.deadLetter.maxReceiveCount`]: 0 } },
  { rule: "a maxReceiveCount above 1000", set: { [`${Q}.deadLetter.maxReceiveCount`]: 1001 } },
  {
    rule: "a deadLetter without maxReceiveCount",
    set: { [`${Q}.deadLetter`]: {} },
    path: `${Q}.deadLetter.maxReceiveCount`,
    value: undefined,
    mentions: "required",
  },
  { rule: "a batchSize of 0", set: { [`${C}.batchSize`]: 0 } },
  {
    rule: "a batchSize above 10000",
    set: { [`${C}.maximumBatchingWindow`]: "1 second", [`${C}.batchSize`]: 10001 },
  },
  {
    rule: "a batching window above 5 minutes",
    set: { [`${C}.maximumBatchingWindow`]: "301 seconds" },
    mentions: '"5 minutes"',
  },
  { rule: "a maxConcurrency of 1", set: { [`${C}.maxConcurrency`]: 1 }, mentions: "2" },
  { rule: "a maxConcurrency above 1000", set: { [`${C}.maxConcurrency`]: 1001 } },
];

const durations: readonly Case[] = [
  {
    rule: "a duration with an unknown unit",
    set: { [`${W}.timeout`]: "30 secs" },
    mentions: "not a duration",
  },
  { rule: "a duration given as a number", set: { [`${Q}.visibilityTimeout`]: 60 }, mentions: '"60 seconds"' },
  { rule: "a duration that is not whole seconds", set: { [`${Q}.delay`]: "1.5 seconds" }, mentions: "whole" },
  { rule: "a negative duration", set: { [`${Q}.delay`]: "-1 seconds" } },
];

describe("normaliseApp rejects unknown options", () => runCases(unknownKeys));
describe("normaliseApp rejects values of the wrong shape or type", () => runCases(shapes));
describe("normaliseApp rejects values outside AWS's limits", () => runCases(ranges));
describe("normaliseApp rejects bad durations", () => runCases(durations));
