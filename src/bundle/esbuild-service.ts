/**
 * esbuild runs one long-lived service process per Node process. When that process dies (killed,
 * out of memory, a reload storm), every later call fails with "The service was stopped" or "The
 * service is no longer running" until the service is started again: esbuild keeps the dead one
 * until `stop()` is called. A long-running `sluice dev` must not be left unable to build, so each
 * call that meets a dead service stops it (the next call spawns a fresh one) and runs once more.
 */
import { resolve } from "node:path";
import { stop } from "esbuild";

const SERVICE_GONE = /The service (?:was stopped|is no longer running)/;

/** True when `error` says esbuild's service process is gone, not that the input failed to build. */
export function isServiceStopped(error: unknown): boolean {
  if (error === null || typeof error !== "object")
    return typeof error === "string" && SERVICE_GONE.test(error);
  const { message, errors } = error as { message?: unknown; errors?: { text?: unknown }[] };
  if (typeof message === "string" && SERVICE_GONE.test(message)) return true;
  return (
    Array.isArray(errors) && errors.some((e) => typeof e?.text === "string" && SERVICE_GONE.test(e.text))
  );
}

/** Runs an esbuild call; if the service died, starts a new one and runs the call once more. */
export async function withEsbuildService<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (!isServiceStopped(error)) throw error;
    await stop();
    return call();
  }
}

/**
 * The files among esbuild metafile `inputs` (not virtual modules such as `sluice-entry:fn`), as
 * absolute paths; metafile paths are relative to esbuild's working directory `baseDir`.
 */
export function metafileInputs(inputs: Readonly<Record<string, unknown>>, baseDir: string): string[] {
  return Object.keys(inputs)
    .filter((input) => !/^[a-z-]+:/.test(input))
    .map((input) => resolve(baseDir, input));
}
