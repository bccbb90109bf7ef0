/**
 * The account a server's credentials act in, from STS GetCallerIdentity
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), which answers
 * any valid credentials, on AWS and on a local cloud's endpoint alike: `sluice serve` normalises
 * an app folder's definition for it, as deploy does, so names and ARNs are the deployed ones.
 */
import { GetCallerIdentityCommand, STSClient } from "@aws-sdk/client-sts";

/** With the SDK's default credential chain, as the server's own clients (aws-clients.ts). */
export async function callerAccount(region: string, endpointUrl?: string): Promise<string> {
  const sts = new STSClient({ region, ...(endpointUrl === undefined ? {} : { endpoint: endpointUrl }) });
  try {
    const identity = await sts.send(new GetCallerIdentityCommand({}));
    if (identity.Account === undefined) throw new Error("STS GetCallerIdentity returned no Account");
    return identity.Account;
  } finally {
    sts.destroy();
  }
}
