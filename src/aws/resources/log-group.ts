import type { FunctionSpec } from "../../model/app-spec.ts";
import { logGroupName } from "../../model/naming.ts";
import type { TemplateResource } from "../template/template.ts";

/** The retention periods CloudWatch Logs accepts, in days. */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/**
 * The group Lambda writes to, created by the stack so it has a retention period and goes away
 * with the stack (a group Lambda creates itself keeps logs forever and outlives the stack).
 */
export function functionLogGroup(fn: FunctionSpec, retentionInDays: LogRetentionDays): TemplateResource {
  return {
    Type: "AWS::Logs::LogGroup",
    Properties: { LogGroupName: logGroupName(fn), RetentionInDays: retentionInDays },
    DeletionPolicy: "Delete",
    UpdateReplacePolicy: "Delete",
  };
}
