/**
 * How the AWS-facing commands act on several regions: all at once, each region's failure its own
 * result (the others go on), so a command reports every region and exits 1 if any failed.
 */
import { type AwsClients, createClients } from "../aws/deploy/index.ts";
import { awsErrorMessage } from "./aws-errors.ts";

/** A region whose work threw: the error as one line (see awsErrorMessage). */
export interface RegionError {
  readonly region: string;
  readonly error: string;
}

/** Runs `work` for every region at once; a region whose work throws yields a RegionError. */
export function inEachRegion<T>(
  regions: readonly string[],
  work: (region: string) => Promise<T>,
): Promise<(T | RegionError)[]> {
  return Promise.all(
    regions.map(async (region): Promise<T | RegionError> => {
      try {
        return await work(region);
      } catch (error) {
        return { region, error: awsErrorMessage(error) };
      }
    }),
  );
}

/** inEachRegion with the region's SDK clients (sent to `endpointUrl` if set), destroyed after. */
export function withRegionClients<T>(
  regions: readonly string[],
  endpointUrl: string | undefined,
  work: (clients: AwsClients, region: string) => Promise<T>,
): Promise<(T | RegionError)[]> {
  return inEachRegion(regions, async (region) => {
    const clients = createClients({ region, ...(endpointUrl ? { endpointUrl } : {}) });
    try {
      return await work(clients, region);
    } finally {
      clients.destroy();
    }
  });
}
