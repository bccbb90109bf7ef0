/**
 * Makes this execution environment trust one more certificate authority (the state folder's local
 * CA), before the function's code loads: then an SDK client or `fetch` pointed at a local https
 * endpoint (`https://${domainName}/${stage}` for @connections) verifies it as it would verify AWS.
 *
 * NODE_EXTRA_CA_CERTS is read once per process, and the AWS SDK's NodeHttpHandler makes agents of
 * its own, so neither it nor `https.globalAgent` reaches them. Every TLS client connection gets its
 * context from `tls.createSecureContext` (tls.connect, https, undici); a worker thread has its own
 * copy of that module, so wrapping it here changes this environment only, never the host.
 */
import tls from "node:tls";

export function trustCertificateAuthority(caPem: string): void {
  const original = tls.createSecureContext;
  tls.createSecureContext = function createSecureContext(options?: tls.SecureContextOptions) {
    // A caller that names its own CAs trusts exactly those, as everywhere else.
    if (options?.ca !== undefined) return original(options);
    const context = original(options);
    // The native context copies the shared root store before adding to it (Node 20 to 24).
    const native = (context as { context?: { addCACert?: (pem: string) => void } }).context;
    if (typeof native?.addCACert === "function") {
      native.addCACert(caPem);
      return context;
    }
    return original({ ...options, ca: [...tls.rootCertificates, caPem] });
  };
}
