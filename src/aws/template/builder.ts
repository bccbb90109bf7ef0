/**
 * The template under construction. Synthesis and decorators add to it through the same methods,
 * so a decorator that reuses a logical ID fails with the name of whoever holds it.
 */
import { SluiceError } from "../../model/errors.ts";
import type {
  Template,
  TemplateOutput,
  TemplateParameter,
  TemplateResource,
  TemplateValue,
} from "./template.ts";

const LOGICAL_ID = /^[A-Za-z0-9]{1,255}$/;

type Section = "Resources" | "Parameters" | "Outputs" | "Conditions";

export class TemplateBuilder {
  private readonly data: Template;
  /** Who added each ID, per namespace: Ref reaches resources and parameters alike. */
  private readonly owners = new Map<string, string>();

  constructor(description?: string) {
    this.data = {
      AWSTemplateFormatVersion: "2010-09-09",
      ...(description !== undefined ? { Description: description } : {}),
      Parameters: {},
      Resources: {},
      Outputs: {},
    };
  }

  /** The template as it stands; change it through the methods below or by editing resources in place. */
  get template(): Template {
    return this.data;
  }

  addResource(id: string, resource: TemplateResource, owner = "a decorator"): TemplateResource {
    this.claim("Resources", id, owner);
    this.data.Resources[id] = resource;
    return resource;
  }

  addParameter(id: string, parameter: TemplateParameter, owner = "a decorator"): TemplateParameter {
    this.claim("Parameters", id, owner);
    this.data.Parameters[id] = parameter;
    return parameter;
  }

  addOutput(id: string, output: TemplateOutput, owner = "a decorator"): TemplateOutput {
    this.claim("Outputs", id, owner);
    this.data.Outputs[id] = output;
    return output;
  }

  addCondition(id: string, condition: TemplateValue, owner = "a decorator"): void {
    this.claim("Conditions", id, owner);
    this.data.Conditions ??= {};
    this.data.Conditions[id] = condition;
  }

  /** A resource already in the template, to change; fails when there is none. */
  resource(id: string): TemplateResource {
    const found = this.data.Resources[id];
    if (!found) {
      throw new SluiceError(
        "SLUICE_UNKNOWN_LOGICAL_ID",
        `the template has no resource ${id}; it has ${Object.keys(this.data.Resources).join(", ") || "none"}`,
        { context: { logicalId: id } },
      );
    }
    return found;
  }

  hasResource(id: string): boolean {
    return id in this.data.Resources;
  }

  /** Removes a resource (for example a generated one a decorator replaces). */
  removeResource(id: string): void {
    this.resource(id);
    delete this.data.Resources[id];
    this.owners.delete(key("Resources", id));
  }

  private claim(section: Section, id: string, owner: string): void {
    if (!LOGICAL_ID.test(id)) {
      throw new SluiceError(
        "SLUICE_INVALID_LOGICAL_ID",
        `${owner} used the logical ID ${JSON.stringify(id)}; CloudFormation allows 1–255 letters and digits`,
        { context: { logicalId: id } },
      );
    }
    const k = key(section, id);
    const holder = this.owners.get(k);
    if (holder !== undefined) {
      const what = section === "Outputs" ? "output" : section === "Conditions" ? "condition" : "logical ID";
      throw new SluiceError(
        "SLUICE_LOGICAL_ID_CONFLICT",
        `${owner} tried to add ${what} ${id}, which ${holder} already uses. ` +
          (section === "Resources" || section === "Parameters"
            ? `Pick another ID, or change the existing resource with template.resource("${id}").`
            : "Pick another ID."),
        { context: { logicalId: id, owner, holder } },
      );
    }
    this.owners.set(k, owner);
  }
}

/** Resources and parameters share a namespace (both answer `Ref`); outputs and conditions have their own. */
function key(section: Section, id: string): string {
  return section === "Resources" || section === "Parameters" ? `ref:${id}` : `${section}:${id}`;
}
