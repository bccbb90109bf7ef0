import { createHmac, randomBytes } from "node:crypto";

/** What a function's environment carries so the AWS SDK signs its calls as that function. */
export interface FunctionCredentials {
  readonly AWS_ACCESS_KEY_ID: string;
  readonly AWS_SECRET_ACCESS_KEY: string;
  readonly AWS_SESSION_TOKEN: string;
}

const BASE32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

/**
 * Gives each function credentials of its own, as Lambda gives each function its role's session
 * credentials, so the endpoint can tell which function made a call. Access key ids look like
 * AWS's temporary ones (`ASIA` and 16 base32 characters) and are derived from a per-session key,
 * so they stay the same across reloads within one `sluice dev`. Secrets are random and never
 * leave the function's environment.
 */
export class CredentialIssuer {
  private readonly key = randomBytes(32);
  private readonly issued = new Map<string, { fn: string; credentials: FunctionCredentials }>();
  private readonly byFunction = new Map<string, FunctionCredentials>();

  /** Credentials for the function with this physical name. */
  forFunction(functionName: string): FunctionCredentials {
    const existing = this.byFunction.get(functionName);
    if (existing) return existing;
    const digest = createHmac("sha256", this.key).update(functionName).digest();
    let id = "ASIA";
    for (let i = 0; i < 16; i++) id += BASE32[(digest[i] ?? 0) % 32];
    const credentials: FunctionCredentials = {
      AWS_ACCESS_KEY_ID: id,
      AWS_SECRET_ACCESS_KEY: randomBytes(30).toString("base64"),
      AWS_SESSION_TOKEN: randomBytes(48).toString("base64"),
    };
    this.byFunction.set(functionName, credentials);
    this.issued.set(id, { fn: functionName, credentials });
    return credentials;
  }

  /** The secret of credentials issued here, so the endpoint can verify what they sign. */
  secretOf(accessKeyId: string): string | undefined {
    return this.issued.get(accessKeyId)?.credentials.AWS_SECRET_ACCESS_KEY;
  }

  /** The physical name of the function these credentials were issued to, if any. */
  identify(accessKeyId: string): string | undefined {
    return this.issued.get(accessKeyId)?.fn;
  }
}
