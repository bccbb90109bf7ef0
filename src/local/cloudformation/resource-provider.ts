/**
 * The contract between the local CloudFormation engine (template evaluation, change sets, stack
 * operations, events, rollback) and the resource providers that make each resource type real in
 * the local cloud. The engine knows nothing of SQS or Lambda; a provider knows nothing of stacks.
 */
import type { Clock } from "../clock/index.ts";

/** Where and for whom a provider acts. */
export interface ResourceContext {
  readonly region: string;
  readonly accountId: string;
  /** `aws`, `aws-cn` or `aws-us-gov`, from the region. */
  readonly partition: string;
  readonly stackName: string;
  readonly stackId: string;
  readonly logicalId: string;
  readonly resourceType: string;
  /** The local endpoint's URL (queue URLs and API URLs are built on it). */
  readonly endpointUrl: string;
  readonly clock: Clock;
}

/** What a provider made: what `Ref` returns and what `Fn::GetAtt` can read. */
export interface ProvisionedResource {
  readonly physicalId: string;
  readonly attributes: Readonly<Record<string, unknown>>;
}

/** A resource as the stack holds it: its provisioned identity and the properties it was made with. */
export interface CurrentResource extends ProvisionedResource {
  /** Properties with every intrinsic function resolved. */
  readonly properties: Readonly<Record<string, unknown>>;
}

/**
 * Makes one resource type real. Properties arrive with every intrinsic function resolved
 * (`AWS::NoValue` removed). A provider that cannot do what it is asked throws
 * `ResourceFailure`; its message becomes the event's ResourceStatusReason, as AWS's would.
 */
export interface ResourceProvider {
  /**
   * Properties whose change replaces the resource rather than updating it in place: the
   * `createOnlyProperties` of the type's AWS resource schema. Dotted paths name nested ones.
   */
  readonly replaceOn: readonly string[];
  /**
   * The property that names the resource (`QueueName`, `FunctionName`), when the type has one. A
   * replacement while it is set fails the update, as AWS refuses to replace a custom-named resource.
   */
  readonly nameProperty?: string;
  create(
    properties: Readonly<Record<string, unknown>>,
    context: ResourceContext,
  ): Promise<ProvisionedResource>;
  update(
    current: CurrentResource,
    properties: Readonly<Record<string, unknown>>,
    context: ResourceContext,
  ): Promise<ProvisionedResource>;
  delete(current: CurrentResource, context: ResourceContext): Promise<void>;
}

/** The providers the local cloud has, by resource type (`AWS::SQS::Queue`). */
export type ProviderRegistry = (resourceType: string) => ResourceProvider | undefined;

/** A provider's refusal; the message is the ResourceStatusReason the stack events show. */
export class ResourceFailure extends Error {
  override readonly name = "ResourceFailure";
}
