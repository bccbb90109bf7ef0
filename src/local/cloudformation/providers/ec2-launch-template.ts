/**
 * AWS::EC2::LaunchTemplate (issue 19): accepted and kept, never launched; `sluice cloud` runs a
 * fleet as a local `sluice serve` from its `Sluice::Server` metadata instead (cloud-host/
 * fleet-processes.ts). Ref is the `lt-…` id; each update is a new version, the default one.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-ec2-launchtemplate.html
 */
import { ResourceFailure } from "../resource-provider.ts";
import { defineProvider } from "./define-provider.ts";
import { hexId } from "./fleet-ids.ts";
import { objectProp, type Properties, requiredKey } from "./properties.ts";
import type { ProviderEnv } from "./provider-env.ts";

function validate(properties: Properties, logicalId: string): void {
  const data = objectProp(properties, "LaunchTemplateData");
  if (data === undefined) requiredKey({ logicalId }, "LaunchTemplateData");
  const tokens = objectProp(data, "MetadataOptions")?.HttpTokens;
  if (tokens !== undefined && tokens !== "required" && tokens !== "optional") {
    throw new ResourceFailure(
      `Value (${String(tokens)}) for parameter httpTokens is invalid. Valid values are: required, optional.`,
    );
  }
}

export function launchTemplateProvider(env: ProviderEnv) {
  const attributes = (id: string, version: number) => ({
    LaunchTemplateId: id,
    LatestVersionNumber: String(version),
    DefaultVersionNumber: String(version),
  });
  return defineProvider("AWS::EC2::LaunchTemplate", {
    create(properties, context) {
      validate(properties, context.logicalId);
      const id = hexId(env, "lt-", 17);
      return { physicalId: id, attributes: attributes(id, 1) };
    },
    update(current, properties, context) {
      validate(properties, context.logicalId);
      const version = Number(current.attributes.LatestVersionNumber ?? 1) + 1;
      return { physicalId: current.physicalId, attributes: attributes(current.physicalId, version) };
    },
  });
}
