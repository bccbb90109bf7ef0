/**
 * AWS::DynamoDB::GlobalTable from a TableSpec with `global`: one resource, in the global table
 * stack of the primary region, with a replica in every region of the app. It replaces the table's
 * AWS::DynamoDB::Table in every regional stack; those reach the replica of their region by its
 * physical name, the same in every region (references.ts).
 *
 * As table.ts: on-demand billing (GlobalTable's BillingMode, PAY_PER_REQUEST, the same as the
 * regional tables), the same keys, indexes and TTL; the stream is NEW_AND_OLD_IMAGES, which
 * global tables need (the model sets it). Point-in-time recovery and deletion protection are
 * per replica properties of GlobalTable. `Replicas` must hold the stack's own region.
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-resource-dynamodb-globaltable.html
 * https://docs.aws.amazon.com/AWSCloudFormation/latest/TemplateReference/aws-properties-dynamodb-globaltable-replicaspecification.html
 */
import type { TableSpec } from "../../model/app-spec.ts";
import type { TemplateResource } from "../template/template.ts";
import { tableShape } from "./table.ts";

/** Global tables replicate through the stream; DynamoDB needs it to carry both images. */
export const GLOBAL_TABLE_STREAM = "NEW_AND_OLD_IMAGES";

export function globalTableResource(table: TableSpec, regions: readonly string[]): TemplateResource {
  const properties = tableShape(table);
  properties.StreamSpecification = { StreamViewType: GLOBAL_TABLE_STREAM };
  if (table.ttlAttribute !== undefined) {
    properties.TimeToLiveSpecification = { AttributeName: table.ttlAttribute, Enabled: true };
  }
  properties.Replicas = regions.map((region) => ({
    Region: region,
    PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: table.pointInTimeRecovery },
    DeletionProtectionEnabled: table.deletionProtection,
  }));
  return {
    Type: "AWS::DynamoDB::GlobalTable",
    Properties: properties,
    // As table.ts: deploy asks before a replacement or removal deletes items.
    DeletionPolicy: "Delete",
    UpdateReplacePolicy: "Delete",
  };
}
