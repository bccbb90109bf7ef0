import type { BusSpec } from "../../model/events.ts";
import type { TemplateResource } from "../template/template.ts";

/** A named bus of the app; the default bus exists in every account and is not generated. */
export function eventBusResource(bus: BusSpec): TemplateResource {
  return {
    Type: "AWS::Events::EventBus",
    Properties: {
      Name: bus.eventBusName,
      ...(bus.description === undefined ? {} : { Description: bus.description }),
    },
  };
}
