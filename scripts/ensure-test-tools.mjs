// Run by `prepare` (so by `npm ci` in this repository, never for users who install the package):
// the test suite drives Debian's Chromium (describe), awscli (the query protocol) and a Java 17
// runtime (AWS's DynamoDB Local, the DynamoDB oracle) by their full paths, so a fresh machine gets them here and `npm test` passes right after `npm ci`.
// Root with apt-get installs what is missing; anyone else is told what to install.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const TOOLS = [
  { path: "/usr/bin/chromium", pkg: "chromium" },
  { path: "/usr/bin/aws", pkg: "awscli" },
  { path: "/usr/bin/java", pkg: "openjdk-17-jre-headless" },
];
const missing = TOOLS.filter((tool) => !existsSync(tool.path)).map((tool) => tool.pkg);
if (missing.length === 0 || process.env.SLUICE_SKIP_TEST_TOOLS === "1") process.exit(0);

const canInstall = process.getuid?.() === 0 && existsSync("/usr/bin/apt-get");
if (!canInstall) {
  console.warn(
    `sluice: the tests need Debian's ${missing.join(" and ")}: run \`sudo apt-get install -y ${missing.join(" ")}\``,
  );
  process.exit(0);
}
const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
for (const args of [
  ["update", "-qq"],
  ["install", "-y", "-qq", ...missing],
]) {
  console.log(`sluice: apt-get ${args.join(" ")} (test tools: ${missing.join(", ")})`);
  const result = spawnSync("apt-get", args, { stdio: ["ignore", "inherit", "inherit"], env });
  if (result.status !== 0) {
    console.error(`sluice: apt-get ${args[0]} failed; install ${missing.join(" ")} by hand for the tests`);
    process.exit(0);
  }
}
