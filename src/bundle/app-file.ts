/**
 * `app.json`: the normalised spec beside the bundles, in `sluice build`'s folder and in a server
 * artifact, so `sluice serve` runs exactly the spec the bundles were built for without loading
 * (or even having) the definition. Its `format` says how to read it; a reader refuses any other.
 */
import type { AppSpec } from "../model/app-spec.ts";

export const APP_FILE = "app.json";
export const APP_FILE_FORMAT = 1;

export interface AppFile {
  readonly format: typeof APP_FILE_FORMAT;
  readonly spec: AppSpec;
}

/**
 * The file's text. The spec is frozen data in normalisation's order, so JSON.stringify gives the
 * same bytes for the same definition on any machine.
 */
export function appFileText(spec: AppSpec): string {
  const file: AppFile = { format: APP_FILE_FORMAT, spec };
  return `${JSON.stringify(file, null, 2)}\n`;
}
