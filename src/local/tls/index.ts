/**
 * The local certificate authority and the certificates it signs, so local servers can speak https
 * to code written for AWS and function environments trust them.
 *
 * What this folder offers the rest of Sluice: other folders import it only from here
 * (scripts/check-layers.mjs).
 */
export { CA_CERT_FILE, CA_KEY_FILE, type LocalCa, localCa, TLS_DIR } from "./local-ca.ts";
export { issueServerCertificate, type ServerCertificate, serverCertificate } from "./server-certificate.ts";
export { ServerIdentity } from "./server-identity.ts";
export { type SharedPortListener, type SharedPortOptions, sharedPortListener } from "./shared-port.ts";
