/**
 * The account a server's credentials act in, from STS GetCallerIdentity
 * (https://docs.aws.amazon.com/STS/latest/APIReference/API_GetCallerIdentity.html), which answers
 * any valid credentials, on AWS and on a local cloud's endpoint alike: `sluice serve` normalises
 * an app folder's definition for it, as deploy does, so names and ARNs are the deployed ones.
 */
import { serveClients } from "./aws-clients.ts";

export async function callerAccount(region: string, endpointUrl?: string): Promise<string> {
  const clients = serveClients(region, endpointUrl);
  try {
    return await clients.accountId();
  } finally {
    clients.destroy();
  }
}
