// The architecture's table (docs/architecture.md), as data the checker reads. Each layer lists the
// layers it may import, the npm packages and the Node built-ins it may use. The lists are what the
// code legitimately needs today; adding to one is a design decision, so it is made here, in review.

/**
 * @typedef {object} LayerRule
 * @property {string[]} layers     layers it may import (its own is implied)
 * @property {string[]} [typeLayers] layers it may import types from, and nothing else
 * @property {string[]} [valueFiles] files of a typeLayers layer it may import values from too
 * @property {string[]} packages   npm packages it may import
 * @property {string[]} [typePackages] npm packages it may import types from (type declarations only)
 * @property {string[]} builtins   Node built-ins it may import, without the `node:` prefix
 */

/** @type {Record<string, LayerRule>} */
export const layers = {
  // Pure: types, normalisation, validation, limits, naming. No I/O of any kind.
  model: { layers: [], packages: [], builtins: [] },
  // Bundled into every function, so it stays tiny: only what Lambda's Node runtime provides.
  runtime: {
    layers: [],
    typeLayers: ["model"],
    // The route decision both transports follow; self-contained (types only, or each other).
    valueFiles: ["model/routing/route-delivery.ts", "model/routing/bus-event.ts"],
    // client-sfn: a route to a state machine starts an execution (runtime/aws-transport.ts).
    packages: [
      "@aws-sdk/client-sqs",
      "@aws-sdk/client-lambda",
      "@aws-sdk/client-eventbridge",
      "@aws-sdk/client-sfn",
    ],
    builtins: ["crypto"],
  },
  bundle: {
    layers: ["model"],
    // asl-validator: checks each state machine's Amazon States Language when the app loads.
    packages: ["esbuild", "acorn", "fflate", "asl-validator"],
    builtins: ["path", "fs", "url", "crypto"],
  },
  local: {
    layers: ["model"],
    // dns2: the local Route 53's DNS server (local/route53/), UDP and TCP in pure JS.
    // jsonata: Step Functions' JSONata query language (local/stepfunctions/language/jsonata/).
    // jsonpath-plus: its JSONPath paths beyond reference paths (local/stepfunctions/language/jsonpath/).
    // asl-validator: `sluice cloud`'s AWS::StepFunctions::StateMachine checks a deployed definition.
    packages: [
      "better-sqlite3",
      "ws",
      "fflate",
      "node-forge",
      "dns2",
      "jsonata",
      "asl-validator",
      "jsonpath-plus",
    ],
    typePackages: ["aws-lambda"],
    builtins: [
      "buffer",
      // `sluice cloud` runs each deployed server fleet as a `sluice serve` child (cloud-host/fleet-processes.ts).
      "child_process",
      "crypto",
      "fs",
      "http",
      // Route 53's HTTPS health checks (local/route53/health-ping.ts).
      "https",
      "module",
      "net",
      "path",
      "perf_hooks",
      "stream",
      "tls",
      "url",
      "util",
      "v8",
      "worker_threads",
      "zlib",
    ],
  },
  dev: { layers: ["model", "bundle", "local", "serve"], packages: [], builtins: ["fs", "path"] },
  // `sluice serve` (issue 19): functions served by a long-running process beside Lambda. It runs
  // them on local/'s Lambda environments and HTTP API server, and talks to AWS (or a local cloud)
  // with the SDK: SQS long polling, routes through runtime/'s AWS transport, the stack's outputs.
  serve: {
    layers: ["model", "bundle", "local", "runtime"],
    // client-lambda, -eventbridge, -sfn: routes to what the server does not run (serve/aws-clients.ts).
    packages: [
      "@aws-sdk/client-sqs",
      "@aws-sdk/client-cloudformation",
      "@aws-sdk/client-sts",
      "@aws-sdk/client-lambda",
      "@aws-sdk/client-eventbridge",
      "@aws-sdk/client-sfn",
    ],
    builtins: ["fs", "path", "http", "os"],
  },
  // `sluice/testing` (issue 20): an app's local cloud in the test's own process, on a manual
  // clock, for node:test, Vitest and Jest. It starts dev's session without the watcher.
  testing: { layers: ["model", "bundle", "local", "dev"], packages: [], builtins: ["fs", "os", "path"] },
  aws: {
    layers: ["model", "bundle"],
    packages: [
      "@aws-sdk/client-cloudformation",
      "@aws-sdk/client-cloudwatch-logs",
      "@aws-sdk/client-dynamodb",
      // deploy looks up a server fleet's default VPC and subnets (issue 19, deploy/fleet-network.ts).
      "@aws-sdk/client-ec2",
      // deploy waits for a server fleet's target group to report healthy targets (issue 19).
      "@aws-sdk/client-elastic-load-balancing-v2",
      "@aws-sdk/client-lambda",
      "@aws-sdk/client-route-53",
      "@aws-sdk/client-s3",
      "@aws-sdk/client-sqs",
      "@aws-sdk/client-sts",
    ],
    builtins: ["crypto", "fs", "path"],
  },
  cli: {
    layers: ["model", "bundle", "local", "dev", "aws", "runtime", "serve", "testing"],
    packages: [],
    builtins: ["crypto", "fs", "path", "readline", "util"],
  },
};

/** Files directly in src/ are the package's public entry points: they re-export, nothing more. */
export const entryLayers = ["model", "runtime", "aws"];

/**
 * `import(expression)` loads code that is not ours: the user's handler module, the user's compiled
 * definition. Anywhere else an import names its module, so the checker can see it.
 */
export const computedImportAllowed = ["local/lambda/worker/worker.ts", "bundle/import-compiled.ts"];

/**
 * `require`/`createRequire`: to find the SDK the Lambda runtime would provide (not to load code),
 * and to load, by name, the libraries a local surface needs only once it is used, for callers
 * that are synchronous (local/lazy-packages.ts).
 */
export const requireAllowed = ["local/lambda/provided-sdk.ts", "local/lazy-packages.ts"];

/**
 * Literal partitions (`arn:aws:`, `amazonaws.com` hosts) are written only where the partition rule
 * lives. Two shapes are not partitions and pass anywhere: an XML namespace
 * (`http://queue.amazonaws.com/doc/2012-11-05/`, the same in every partition) and a service
 * principal (`lambda.amazonaws.com`, a name rather than a host).
 */
export const partitionAllowed = ["model/naming.ts"];

/** Literals that show a user what an ARN looks like rather than build one, by file. */
export const partitionExamples = {
  "model/validate/permissions.ts": ['"arn:aws:..."'],
};
