/**
 * The state folder's local certificate authority: made once per `.sluice/` folder and kept there
 * (`tls/ca-key.pem` readable by the user only), so the certificates the local servers present and
 * the trust function environments are given agree across restarts and reloads. It signs the
 * certificate the WebSocket API serves `@connections` with over https, which is how a handler
 * written for AWS (`https://${domainName}/${stage}`) reaches it unmodified.
 */
import { createPrivateKey, generateKeyPairSync, randomBytes, X509Certificate } from "node:crypto";
import { chmodSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { forge } from "../lazy-packages.ts";

export interface LocalCa {
  /** The CA certificate, PEM: what function environments trust. */
  readonly certPem: string;
  /** The CA's private key, PEM (PKCS#8). */
  readonly keyPem: string;
}

/** The folder inside the state folder, and its files. */
export const TLS_DIR = "tls";
export const CA_CERT_FILE = "ca.pem";
export const CA_KEY_FILE = "ca-key.pem";

/** Long enough that a developer never meets an expired local CA. */
const CA_YEARS = 10;

/**
 * The CA of `stateDir`, made on first use. Made in a private temporary folder and renamed into
 * place whole, so two processes starting at once end up sharing one CA and never see half of one.
 */
export function localCa(stateDir: string): LocalCa {
  const dir = join(stateDir, TLS_DIR);
  const existing = readCa(dir);
  if (existing) return existing;
  mkdirSync(stateDir, { recursive: true });
  const temp = join(stateDir, `.${TLS_DIR}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`);
  mkdirSync(temp, { mode: 0o700 });
  chmodSync(temp, 0o700);
  const ca = createCa();
  writeFileSync(join(temp, CA_KEY_FILE), ca.keyPem, { mode: 0o600, flag: "wx" });
  writeFileSync(join(temp, CA_CERT_FILE), ca.certPem, { mode: 0o644, flag: "wx" });
  try {
    renameSync(temp, dir);
    return ca;
  } catch {
    // Another process made it first: use theirs. Otherwise the folder is damaged (a file removed
    // or edited by hand): it is moved aside and replaced, as deleting it would do.
    const theirs = readCa(dir);
    if (theirs) {
      rmSync(temp, { recursive: true, force: true });
      return theirs;
    }
    const aside = `${temp}.damaged`;
    renameSync(dir, aside);
    renameSync(temp, dir);
    rmSync(aside, { recursive: true, force: true });
    return ca;
  }
}

function readCa(dir: string): LocalCa | undefined {
  try {
    const certPem = readFileSync(join(dir, CA_CERT_FILE), "utf8");
    const keyPem = readFileSync(join(dir, CA_KEY_FILE), "utf8");
    // Node parses both (forge is needed only to make a CA); forge signs only with an RSA key.
    new X509Certificate(certPem);
    if (createPrivateKey(keyPem).asymmetricKeyType !== "rsa") return undefined;
    return { certPem, keyPem };
  } catch {
    return undefined;
  }
}

function createCa(): LocalCa {
  // Node generates the key natively; forge only builds and signs the certificate.
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const { pki, md } = forge();
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 24 * 3600_000);
  cert.validity.notAfter = new Date(now + CA_YEARS * 365 * 24 * 3600_000);
  const subject = [
    { name: "commonName", value: `Sluice local CA ${randomBytes(4).toString("hex")}` },
    { name: "organizationName", value: "Sluice (local development only)" },
  ];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: "basicConstraints", cA: true, pathLenConstraint: 0, critical: true },
    { name: "keyUsage", keyCertSign: true, cRLSign: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(pki.privateKeyFromPem(keyPem), md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem };
}

/** A positive 16-byte serial, as RFC 5280 asks (the top bit clear keeps it positive). */
export function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0] ?? 0) & 0x7f;
  return bytes.toString("hex");
}
