/**
 * Lambda keeps its own copy of a function's code: the zip is read once, when the function is
 * created or its code updated, and unpacked into a folder named by the zip's SHA-256, so later
 * changes to the bucket do not touch a deployed function. Lambda's Node.js runtimes provide the
 * AWS SDK v3; a `node_modules` link beside the code folders provides Sluice's copy the same way.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import { unzipSync } from "fflate";
import { provideAwsSdk, refusedHandler } from "../../lambda/index.ts";
import { ResourceFailure } from "../resource-provider.ts";

/** Lambda's limit on a function's unzipped code (Lambda quotas: 250 MB). */
const UNZIPPED_CODE_LIMIT = 262_144_000;

export interface UnpackedCode {
  readonly dir: string;
  /** Base64 SHA-256 of the zip, as Lambda's CodeSha256. */
  readonly sha256: string;
  readonly size: number;
}

export function unpackCode(zip: Uint8Array, root: string): UnpackedCode {
  const digest = createHash("sha256").update(zip).digest();
  const dir = join(root, digest.toString("hex"));
  const result = { dir, sha256: digest.toString("base64"), size: zip.length };
  provideAwsSdk(root);
  if (existsSync(dir)) return result;
  let files: Record<string, Uint8Array>;
  try {
    files = unzipSync(zip);
  } catch {
    throw new ResourceFailure(
      "Could not unzip uploaded file. Please check your file, then try to upload again.",
    );
  }
  const total = Object.values(files).reduce((sum, data) => sum + data.length, 0);
  if (total > UNZIPPED_CODE_LIMIT) {
    throw new ResourceFailure(`Unzipped size must be smaller than ${UNZIPPED_CODE_LIMIT} bytes`);
  }
  const staging = `${dir}.${process.pid}.partial`;
  rmSync(staging, { recursive: true, force: true });
  for (const [name, data] of Object.entries(files)) {
    if (name.endsWith("/")) continue;
    const target = normalize(join(staging, name));
    if (!target.startsWith(staging + sep)) {
      throw new ResourceFailure(
        "Could not unzip uploaded file. Please check your file, then try to upload again.",
      );
    }
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, data);
  }
  mkdirSync(staging, { recursive: true });
  // Unpacked whole, then renamed: a folder that exists is complete.
  if (existsSync(dir)) rmSync(staging, { recursive: true, force: true });
  else renameSync(staging, dir);
  return result;
}

/** Inline code (Code.ZipFile): Lambda writes it as `index.js` of a zip. */
export function writeInlineCode(source: string, root: string): UnpackedCode {
  const digest = createHash("sha256").update(source).digest();
  const dir = join(root, `inline-${digest.toString("hex")}`);
  provideAwsSdk(root);
  if (!existsSync(dir)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, "index.js"), source);
  }
  return { dir, sha256: digest.toString("base64"), size: Buffer.byteLength(source) };
}

/** The bundle file a handler setting names: `dir/module.(mjs|js|cjs)`, as Lambda's runtime looks. */
export function handlerFile(dir: string, handler: string): { file: string; exportName: string } {
  // A handler naming a module outside the package fails init as Lambda's runtime fails it.
  const refused = refusedHandler(dir, handler);
  if (refused) return refused;
  const dot = handler.lastIndexOf(".");
  const module = dot < 0 ? handler : handler.slice(0, dot);
  const exportName = dot < 0 ? "handler" : handler.slice(dot + 1);
  for (const extension of [".mjs", ".js", ".cjs"]) {
    const file = join(dir, `${module}${extension}`);
    if (existsSync(file)) return { file, exportName };
  }
  // Missing: the environment's init fails with Runtime.ImportModuleError, as Lambda's does.
  return { file: join(dir, `${module}.mjs`), exportName };
}
