/**
 * The state folder's local CA: made once with a private key only the user reads, reused after,
 * and the server certificates it signs name the loopback hosts and the bound address.
 */
import assert from "node:assert/strict";
import { X509Certificate } from "node:crypto";
import { mkdtempSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { after, describe, test } from "node:test";
import {
  CA_CERT_FILE,
  CA_KEY_FILE,
  issueServerCertificate,
  localCa,
  serverCertificate,
  TLS_DIR,
} from "../../src/local/tls/index.ts";

const root = mkdtempSync(join(tmpdir(), "sluice-tls-"));
after(() => rmSync(root, { recursive: true, force: true }));

describe("the local CA of a state folder", () => {
  test("is made on first use with its key readable by the user only, in a private folder", () => {
    const stateDir = join(root, "first", ".sluice");
    const ca = localCa(stateDir);
    assert.equal((statSync(join(stateDir, TLS_DIR, CA_KEY_FILE)).mode & 0o777).toString(8), "600");
    assert.equal((statSync(join(stateDir, TLS_DIR)).mode & 0o777).toString(8), "700");
    const cert = new X509Certificate(ca.certPem);
    assert.equal(cert.ca, true);
    assert.ok(cert.checkIssued(cert), "self-signed");
  });

  test("is reused by later opens of the same folder", () => {
    const stateDir = join(root, "reused");
    assert.equal(localCa(stateDir).certPem, localCa(stateDir).certPem);
  });

  test("is made again, in place, when its files are damaged or one is missing", () => {
    const stateDir = join(root, "damaged");
    const first = localCa(stateDir);
    writeFileSync(join(stateDir, TLS_DIR, CA_CERT_FILE), "not a certificate");
    const second = localCa(stateDir);
    assert.notEqual(second.certPem, first.certPem);
    assert.equal(localCa(stateDir).certPem, second.certPem);
    rmSync(join(stateDir, TLS_DIR, CA_KEY_FILE));
    const third = localCa(stateDir);
    assert.notEqual(third.certPem, second.certPem);
    assert.equal((statSync(join(stateDir, TLS_DIR, CA_KEY_FILE)).mode & 0o777).toString(8), "600");
  });
});

describe("server certificates", () => {
  const ca = localCa(join(root, "leaf"));
  const issuer = new X509Certificate(ca.certPem);

  test("are signed by the CA for localhost, 127.0.0.1 and ::1", () => {
    const leaf = new X509Certificate(serverCertificate(ca).certPem);
    assert.ok(leaf.checkIssued(issuer));
    assert.ok(leaf.verify(issuer.publicKey));
    assert.equal(leaf.ca, false);
    assert.ok(leaf.checkHost("localhost"));
    assert.ok(leaf.checkIP("127.0.0.1"));
    assert.ok(leaf.checkIP("::1"));
    assert.equal(leaf.checkHost("example.com"), undefined);
  });

  test("also name the address the server binds and the hosts the user allowed", () => {
    const leaf = new X509Certificate(
      serverCertificate(ca, ["192.168.1.20", "dev.example.test", "[fd00::1]"]).certPem,
    );
    assert.ok(leaf.checkIP("192.168.1.20"));
    assert.ok(leaf.checkHost("dev.example.test"));
    assert.ok(leaf.checkIP("fd00::1"));
  });

  test("made with a key from the thread pool, are the same kind of certificate", async () => {
    const issued = await issueServerCertificate(ca, ["10.0.0.5"]);
    const leaf = new X509Certificate(issued.certPem);
    assert.ok(leaf.verify(issuer.publicKey));
    assert.ok(leaf.checkIP("10.0.0.5"));
    assert.ok(leaf.checkIP("127.0.0.1"));
  });

  test("never name a wildcard bind address", () => {
    const leaf = new X509Certificate(serverCertificate(ca, ["0.0.0.0", "::"]).certPem);
    assert.equal(leaf.checkIP("0.0.0.0"), undefined);
    assert.doesNotMatch(leaf.subjectAltName ?? "", /0\.0\.0\.0/);
  });
});
