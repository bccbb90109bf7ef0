/**
 * `npm run bench -- stepfunctions` (issue 18 §5): state transitions per second of three
 * definitions, on Sluice's engine (durable: every transition committed to the app's SQLite file,
 * inside the real LocalCloud, Lambda tasks invoking a real function in its worker thread) and on
 * `aws-local-stepfunctions` (in memory; its Lambda tasks run the same function in-process through
 * `overrides.taskResourceLocalHandlers`), in rounds that alternate between the two:
 * (a) a chain of 100 Pass states, (b) an inline Map of 1,000 items over a Pass,
 * (c) a loop of Choice + Task invoking a trivial function N times.
 *
 * A transition is a state entered (what AWS bills a Standard workflow for:
 * https://aws.amazon.com/step-functions/pricing/), counted from the definition and checked once
 * against Sluice's history (its `*StateEntered` events).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LocalCloud } from "../src/local/local-cloud.ts";
import type { StepFunctionsApi } from "../src/local/stepfunctions/index.ts";
import { openCloud } from "./cloud.ts";
import { median } from "./stats.ts";

const ROUNDS = Number(process.env.BENCH_SFN_ROUNDS ?? 5);
const CHAIN_STATES = 100;
/** Executions of the chain started at once in a round. */
const CHAIN_EXECUTIONS = Number(process.env.BENCH_SFN_CHAINS ?? 10);
const MAP_ITEMS = 1000;
const LOOP_STEPS = Number(process.env.BENCH_SFN_LOOP_STEPS ?? 100);

type Asl = Record<string, unknown>;

/** The trivial function of the Lambda loop, the same code on both sides. */
const step = (event: { n: number }) => ({ n: event.n + 1 });
const STEP_SOURCE = `export async function handler(event: { n: number }) {\n  return { n: event.n + 1 };\n}\n`;

function chain(): Asl {
  const states: Record<string, unknown> = {};
  for (let i = 0; i < CHAIN_STATES; i++) {
    states[`P${i}`] =
      i === CHAIN_STATES - 1
        ? { Type: "Pass", End: true }
        : { Type: "Pass", Result: { i }, ResultPath: "$.last", Next: `P${i + 1}` };
  }
  return { StartAt: "P0", States: states };
}

function map(): Asl {
  return {
    StartAt: "Each",
    States: {
      Each: {
        Type: "Map",
        ItemsPath: "$.items",
        ItemProcessor: {
          ProcessorConfig: { Mode: "INLINE" },
          StartAt: "Echo",
          States: { Echo: { Type: "Pass", Parameters: { "seen.$": "$" }, End: true } },
        },
        End: true,
      },
    },
  };
}

function loop(): Asl {
  return {
    StartAt: "Init",
    States: {
      Init: { Type: "Pass", Result: { n: 0 }, Next: "Step" },
      Step: {
        Type: "Task",
        Resource: "arn:aws:states:::lambda:invoke",
        // The function's Sluice name: Sluice resolves it; aws-local-stepfunctions runs the override.
        Parameters: { FunctionName: "step", "Payload.$": "$" },
        OutputPath: "$.Payload",
        Next: "More",
      },
      More: {
        Type: "Choice",
        Choices: [{ Variable: "$.n", NumericLessThan: LOOP_STEPS, Next: "Step" }],
        Default: "Done",
      },
      Done: { Type: "Succeed" },
    },
  };
}

interface Workload {
  readonly name: string;
  readonly label: string;
  readonly definition: Asl;
  readonly input: unknown;
  /** Executions started at once in a round. */
  readonly executions: number;
  /** States entered by one execution. */
  readonly transitions: number;
}

const WORKLOADS: readonly Workload[] = [
  {
    name: "chain",
    label: `${CHAIN_STATES}-state Pass chain (${CHAIN_EXECUTIONS} executions at once)`,
    definition: chain(),
    input: {},
    executions: CHAIN_EXECUTIONS,
    transitions: CHAIN_STATES,
  },
  {
    name: "map",
    label: `inline Map of ${MAP_ITEMS} items over a Pass (1 execution)`,
    definition: map(),
    input: { items: Array.from({ length: MAP_ITEMS }, (_, i) => ({ i })) },
    executions: 1,
    transitions: 1 + MAP_ITEMS,
  },
  {
    name: "loop",
    label: `Choice + Lambda Task loop, ${LOOP_STEPS} invocations (1 execution)`,
    definition: loop(),
    input: {},
    executions: 1,
    transitions: 1 + 2 * LOOP_STEPS + 1,
  },
];

/** One engine: runs `count` executions of a workload at once and resolves when all have ended. */
interface Engine {
  readonly name: string;
  run(workload: Workload, count: number): Promise<void>;
}

/** The bench app: one state machine per workload and the loop's function. */
function writeApp(): string {
  const dir = mkdtempSync(join(tmpdir(), "sluice-bench-sfn-"));
  mkdirSync(join(dir, "src"));
  writeFileSync(join(dir, "src", "step.ts"), STEP_SOURCE);
  const machines = WORKLOADS.map(
    (w) => `    ${w.name}: { definition: ${JSON.stringify(w.definition)} },`,
  ).join("\n");
  writeFileSync(
    join(dir, "sluice.config.ts"),
    `import { defineApp } from "sluice";
export default defineApp({
  name: "bench",
  functions: { step: { handler: "src/step.handler" } },
  stateMachines: {
${machines}
  },
});
`,
  );
  return dir;
}

function sluiceEngine(api: StepFunctionsApi): Engine {
  const arns = new Map(
    api.listStateMachines().map((m) => [m.name.replace(/^bench-/, ""), m.stateMachineArn]),
  );
  return {
    name: "Sluice (durable)",
    async run(workload, count) {
      const stateMachineArn = arns.get(workload.name);
      if (!stateMachineArn)
        throw new Error(`no state machine ${workload.name} in ${[...arns.keys()].join(", ")}`);
      const input = JSON.stringify(workload.input);
      const started = Array.from({ length: count }, () => api.startExecution({ stateMachineArn, input }));
      for (const { executionArn } of started) {
        for (;;) {
          const described = api.describeExecution(executionArn);
          if (described.status === "SUCCEEDED") break;
          if (described.status !== "RUNNING") {
            throw new Error(`${workload.name}: ${described.status} ${described.error}: ${described.cause}`);
          }
          await new Promise((resolve) => setTimeout(resolve, 1));
        }
      }
    },
  };
}

/**
 * aws-local-stepfunctions 3 calls `Promise.withResolvers` (Node 22+) in its Task state; on Node 20
 * the bench supplies it, as a polyfill would, before loading the package.
 */
async function loadLocalStepFunctions(): Promise<typeof import("aws-local-stepfunctions")> {
  const promises = Promise as unknown as { withResolvers?: () => unknown };
  promises.withResolvers ??= () => {
    let resolve: unknown;
    let reject: unknown;
    const promise = new Promise((res, rej) => {
      resolve = res;
      reject = rej;
    });
    return { promise, resolve, reject };
  };
  return import("aws-local-stepfunctions");
}

async function localStepFunctionsEngine(): Promise<Engine> {
  const { StateMachine } = await loadLocalStepFunctions();
  const machines = new Map(
    WORKLOADS.map((w) => [
      w.name,
      new StateMachine(w.definition as never, { validationOptions: { checkPaths: false } }),
    ]),
  );
  const overrides = {
    taskResourceLocalHandlers: {
      // What lambda:invoke answers: the function's result under Payload.
      Step: async (input: { Payload: { n: number } }) => ({ Payload: step(input.Payload) }),
    },
  };
  return {
    name: "aws-local-stepfunctions (in memory)",
    async run(workload, count) {
      const machine = machines.get(workload.name);
      if (!machine) throw new Error(`no machine ${workload.name}`);
      await Promise.all(
        Array.from(
          { length: count },
          () => machine.run(workload.input as never, { overrides } as never).result,
        ),
      );
    },
  };
}

/** Checks the transition count against Sluice's history once, so the figures count the same thing. */
async function checkTransitions(api: StepFunctionsApi, workload: Workload): Promise<void> {
  const machine = api.listStateMachines().find((m) => m.name.endsWith(`-${workload.name}`));
  if (!machine) return;
  const { executions } = api.listExecutions({ stateMachineArn: machine.stateMachineArn, maxResults: 1 });
  const executionArn = executions[0]?.executionArn;
  if (!executionArn) return;
  let entered = 0;
  let nextToken: string | undefined;
  do {
    const page = api.getExecutionHistory({
      executionArn,
      maxResults: 1000,
      ...(nextToken ? { nextToken } : {}),
    });
    entered += page.events.filter((e) => e.type.endsWith("StateEntered")).length;
    nextToken = page.nextToken;
  } while (nextToken);
  if (entered !== workload.transitions) {
    console.log(
      `  note: Sluice's history has ${entered} states entered for ${workload.name}, counted ${workload.transitions}`,
    );
  }
}

export async function run(): Promise<void> {
  const dir = writeApp();
  let cloud: LocalCloud | undefined;
  try {
    cloud = await openCloud(dir);
    const api: StepFunctionsApi = cloud.stepFunctions;
    const engines = [sluiceEngine(api), await localStepFunctionsEngine()];
    console.log(
      `state transitions per second (states entered); median of ${ROUNDS} rounds alternating between the engines, after one warm-up round`,
    );
    for (const workload of WORKLOADS) {
      for (const engine of engines) await engine.run(workload, 1);
      await checkTransitions(api, workload);
      const rates = new Map<string, number[]>(engines.map((e) => [e.name, []]));
      for (let round = 0; round < ROUNDS; round++) {
        const order = round % 2 === 0 ? engines : [...engines].reverse();
        for (const engine of order) {
          const started = performance.now();
          await engine.run(workload, workload.executions);
          const seconds = (performance.now() - started) / 1000;
          rates.get(engine.name)?.push((workload.executions * workload.transitions) / seconds);
        }
      }
      const [sluice, baseline] = engines.map((e) => median(rates.get(e.name) ?? []));
      console.log(`\n${workload.label}: ${workload.executions * workload.transitions} transitions a round`);
      for (const engine of engines) {
        console.log(
          `  ${engine.name.padEnd(38)} ${Math.round(median(rates.get(engine.name) ?? [])).toLocaleString("en")}/s`,
        );
      }
      console.log(
        `  ratio Sluice / aws-local-stepfunctions  ${((sluice ?? 0) / (baseline ?? 1)).toFixed(2)}×`,
      );
    }
  } finally {
    await cloud?.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
