/**
 * A server certificate signed by the local CA for the names a local server answers to
 * (`localhost`, `127.0.0.1`, `::1` and the address it binds). Certificates name hosts, not ports,
 * so one certificate serves whatever port the server picks.
 */
import { generateKeyPair, generateKeyPairSync, type KeyObject } from "node:crypto";
import { isIPv4, isIPv6 } from "node:net";
import { promisify } from "node:util";
import { forge } from "../lazy-packages.ts";
import { type LocalCa, serialNumber } from "./local-ca.ts";

export interface ServerCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

/** Within the 398 days clients accept for a server certificate; a server issues a new one on start. */
const VALID_DAYS = 397;

interface KeyPair {
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

const generate = promisify(generateKeyPair);

/** As `serverCertificate`, with the key made on libuv's thread pool: the event loop keeps running. */
export async function issueServerCertificate(
  ca: LocalCa,
  hosts: readonly string[] = [],
): Promise<ServerCertificate> {
  return serverCertificate(ca, hosts, await generate("rsa", { modulusLength: 2048 }));
}

/** The names every local server certificate carries, plus `hosts` (DNS names or IP addresses). */
export function serverCertificate(
  ca: LocalCa,
  hosts: readonly string[] = [],
  keys: KeyPair = generateKeyPairSync("rsa", { modulusLength: 2048 }),
): ServerCertificate {
  const names = [...new Set(["localhost", "127.0.0.1", "::1", ...hosts.map(unbracket)])].filter(
    (name) => name !== "" && name !== "0.0.0.0" && name !== "::",
  );
  const { privateKey, publicKey } = keys;
  const keyPem = privateKey.export({ type: "pkcs8", format: "pem" }).toString();
  const { pki, md } = forge();
  const caCert = pki.certificateFromPem(ca.certPem);
  const cert = pki.createCertificate();
  cert.publicKey = pki.publicKeyFromPem(publicKey.export({ type: "spki", format: "pem" }).toString());
  cert.serialNumber = serialNumber();
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 24 * 3600_000);
  cert.validity.notAfter = new Date(now + VALID_DAYS * 24 * 3600_000);
  cert.setSubject([{ name: "commonName", value: names[0] ?? "localhost" }]);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, keyEncipherment: true, critical: true },
    { name: "extKeyUsage", serverAuth: true },
    {
      name: "subjectAltName",
      altNames: names.map((name) =>
        isIPv4(name) || isIPv6(name) ? { type: 7, ip: name } : { type: 2, value: name },
      ),
    },
    { name: "subjectKeyIdentifier" },
    { name: "authorityKeyIdentifier", keyIdentifier: caCert.generateSubjectKeyIdentifier().getBytes() },
  ]);
  cert.sign(pki.privateKeyFromPem(ca.keyPem), md.sha256.create());
  return { certPem: pki.certificateToPem(cert), keyPem };
}

function unbracket(host: string): string {
  return host.startsWith("[") && host.endsWith("]") ? host.slice(1, -1) : host;
}
