/**
 * Validates a template against AWS's published resource schemas, as `@aws-cdk/aws-service-spec`
 * ships them (the CloudFormation registry schemas, normalised): resource types, required and
 * unknown properties, value types, allowed values, and every Fn::GetAtt attribute.
 */
import { loadAwsServiceSpec } from "@aws-cdk/aws-service-spec";
import type { Template, TemplateValue } from "../../src/aws/template/template.ts";

type SpecDatabase = Awaited<ReturnType<typeof loadAwsServiceSpec>>;

interface PropertyType {
  type: string;
  element?: PropertyType;
  types?: PropertyType[];
  reference?: { $ref: string };
  allowedValues?: (string | number)[];
}

interface Property {
  type: PropertyType;
  required?: boolean;
  previousTypes?: PropertyType[];
}

interface Shape {
  properties: Record<string, Property>;
  attributes?: Record<string, unknown>;
}

let database: Promise<SpecDatabase> | undefined;

export function serviceSpec(): Promise<SpecDatabase> {
  database ??= loadAwsServiceSpec();
  return database;
}

export async function validateTemplate(template: Template): Promise<string[]> {
  const db = await serviceSpec();
  const problems: string[] = [];
  const shapes = new Map<string, Shape>();
  for (const [id, resource] of Object.entries(template.Resources)) {
    const found = db.lookup("resource", "cloudFormationType", "equals", resource.Type);
    if (found.length !== 1) {
      problems.push(`${id}: unknown resource type ${resource.Type}`);
      continue;
    }
    const shape = found[0] as unknown as Shape;
    shapes.set(id, shape);
    checkObject(db, shape.properties, resource.Properties ?? {}, `${id}(${resource.Type})`, problems);
  }
  walk(template as unknown as TemplateValue, (target, attribute, at) => {
    const shape = shapes.get(target);
    if (shape && !(attribute in (shape.attributes ?? {}))) {
      problems.push(
        `${at}: Fn::GetAtt ${target}.${attribute}: ${template.Resources[target]?.Type} has no attribute ${attribute} (it has ${Object.keys(shape.attributes ?? {}).join(", ")})`,
      );
    }
  });
  return problems;
}

function checkObject(
  db: SpecDatabase,
  schema: Record<string, Property>,
  value: TemplateValue,
  at: string,
  problems: string[],
): void {
  if (isIntrinsic(value)) return;
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    problems.push(`${at}: expected an object, got ${JSON.stringify(value)}`);
    return;
  }
  for (const [name, property] of Object.entries(schema)) {
    if (property.required && !(name in value)) problems.push(`${at}: required property ${name} is missing`);
  }
  for (const [name, inner] of Object.entries(value)) {
    const property = schema[name];
    if (!property) {
      problems.push(`${at}: unknown property ${name} (known: ${Object.keys(schema).join(", ")})`);
      continue;
    }
    const candidates = [property.type, ...(property.previousTypes ?? [])];
    const attempts = candidates.map((type) => {
      const found: string[] = [];
      checkValue(db, type, inner, `${at}.${name}`, found);
      return found;
    });
    if (!attempts.some((a) => a.length === 0)) problems.push(...(attempts[0] ?? []));
  }
}

function checkValue(
  db: SpecDatabase,
  type: PropertyType,
  value: TemplateValue,
  at: string,
  problems: string[],
): void {
  if (isIntrinsic(value)) return;
  switch (type.type) {
    case "string":
    case "date-time":
      if (typeof value !== "string") problems.push(`${at}: expected a string, got ${JSON.stringify(value)}`);
      else allowed(type, value, at, problems);
      return;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value))
        problems.push(`${at}: expected an integer, got ${JSON.stringify(value)}`);
      else allowed(type, value, at, problems);
      return;
    case "number":
      if (typeof value !== "number") problems.push(`${at}: expected a number, got ${JSON.stringify(value)}`);
      return;
    case "boolean":
      if (typeof value !== "boolean")
        problems.push(`${at}: expected a boolean, got ${JSON.stringify(value)}`);
      return;
    case "json":
      if (typeof value !== "object" || value === null)
        problems.push(`${at}: expected JSON, got ${JSON.stringify(value)}`);
      return;
    case "array":
      if (!Array.isArray(value)) problems.push(`${at}: expected a list, got ${JSON.stringify(value)}`);
      else if (type.element)
        for (const [i, item] of value.entries()) checkValue(db, type.element, item, `${at}[${i}]`, problems);
      return;
    case "map":
      if (typeof value !== "object" || value === null || Array.isArray(value))
        problems.push(`${at}: expected a map, got ${JSON.stringify(value)}`);
      else if (type.element)
        for (const [k, item] of Object.entries(value))
          checkValue(db, type.element, item, `${at}.${k}`, problems);
      return;
    case "tag":
      checkObject(
        db,
        {
          Key: { type: { type: "string" }, required: true },
          Value: { type: { type: "string" }, required: true },
        },
        value,
        at,
        problems,
      );
      return;
    case "union": {
      const attempts = (type.types ?? []).map((t) => {
        const found: string[] = [];
        checkValue(db, t, value, at, found);
        return found;
      });
      if (!attempts.some((a) => a.length === 0))
        problems.push(...(attempts[0] ?? [`${at}: matches no type of the union`]));
      return;
    }
    case "ref": {
      const definition = db.get("typeDefinition", type.reference?.$ref ?? "") as unknown as Shape;
      checkObject(db, definition.properties ?? {}, value, at, problems);
      return;
    }
    default:
      problems.push(`${at}: the validator does not know type ${type.type}`);
  }
}

function allowed(type: PropertyType, value: string | number, at: string, problems: string[]): void {
  if (type.allowedValues && !type.allowedValues.includes(value)) {
    problems.push(`${at}: ${JSON.stringify(value)} is not one of ${type.allowedValues.join(", ")}`);
  }
}

function isIntrinsic(value: TemplateValue): boolean {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === "Ref" || (keys[0] ?? "").startsWith("Fn::"));
}

function walk(
  value: TemplateValue,
  found: (target: string, attribute: string, at: string) => void,
  at = "",
): void {
  if (typeof value !== "object" || value === null) return;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) walk(item, found, `${at}[${i}]`);
    return;
  }
  for (const [key, inner] of Object.entries(value)) {
    if (
      key === "Fn::GetAtt" &&
      Array.isArray(inner) &&
      typeof inner[0] === "string" &&
      typeof inner[1] === "string"
    ) {
      found(inner[0], inner[1], at);
    }
    walk(inner, found, at ? `${at}.${key}` : key);
  }
}
