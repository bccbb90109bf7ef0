/**
 * What a local server presents over TLS: a certificate from the current local CA. The server asks
 * for it when it starts listening, so the key is made off the event loop before a client needs it,
 * and again only if the CA changes (a state folder whose CA was deleted and remade).
 */
import { createSecureContext, type SecureContext } from "node:tls";
import type { LocalCa } from "./local-ca.ts";
import { issueServerCertificate } from "./server-certificate.ts";

export class ServerIdentity {
  private issued: { readonly ca: string; readonly context: Promise<SecureContext> } | undefined;

  /** @param hosts names the server answers to besides the loopback ones (bound address, allowed hosts) */
  constructor(private readonly hosts: readonly string[]) {}

  context(ca: LocalCa): Promise<SecureContext> {
    if (this.issued?.ca === ca.certPem) return this.issued.context;
    const context = issueServerCertificate(ca, this.hosts).then((leaf) =>
      // The chain holds the CA too, so a client that trusts it by name sees the whole path.
      createSecureContext({ cert: `${leaf.certPem}${ca.certPem}`, key: leaf.keyPem }),
    );
    this.issued = { ca: ca.certPem, context };
    // A failure is reported to the connection that asked; the next one tries again.
    context.catch(() => {
      if (this.issued?.context === context) this.issued = undefined;
    });
    return context;
  }
}
