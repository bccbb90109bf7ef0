/** Reads one HTTP API route key, `METHOD /path` or `$default`, with API Gateway's path rules. */
import { HTTP_METHODS, type HttpMethod } from "../http-api.ts";
import { type Issues, quoteList } from "./values.ts";

export interface ParsedRouteKey {
  readonly routeKey: string;
  readonly method: HttpMethod | "$default";
  readonly path?: string;
}

const ALLOWED = `"$default" or a method (${quoteList(HTTP_METHODS)}) and a path, e.g. "GET /items/{id}" or "ANY /{proxy+}"`;
const PARAM = /^\{([A-Za-z0-9_.-]+)(\+?)\}$/;
const LITERAL = /^[A-Za-z0-9._~!$&'()*,;=:@%-]+$/;

export function readRouteKey(issues: Issues, path: string, value: unknown): ParsedRouteKey | undefined {
  const fail = (message: string, fix: string): undefined => {
    issues.add(path, value, message, ALLOWED, fix);
    return undefined;
  };
  if (typeof value !== "string") return fail("a route key must be a string", `write e.g. "GET /items"`);
  if (value === "$default") return { routeKey: value, method: "$default" };
  const space = value.indexOf(" ");
  const method = value.slice(0, space);
  const routePath = value.slice(space + 1);
  if (space <= 0 || !(HTTP_METHODS as readonly string[]).includes(method)) {
    const upper = method.toUpperCase();
    const fix = (HTTP_METHODS as readonly string[]).includes(upper)
      ? `write the method in capitals: "${upper} ${routePath}"`
      : `start with one of ${quoteList(HTTP_METHODS)}, then a space and the path`;
    return fail(`"${value}" does not start with an HTTP method`, fix);
  }
  const problem = pathProblem(routePath);
  if (problem !== undefined) return fail(problem.message, problem.fix);
  return { routeKey: `${method} ${routePath}`, method: method as HttpMethod, path: routePath };
}

/** What is wrong with a route path, or undefined when API Gateway accepts it. */
export function pathProblem(routePath: string): { message: string; fix: string } | undefined {
  if (!routePath.startsWith("/")) {
    return { message: `path "${routePath}" does not start with /`, fix: `write "/${routePath}"` };
  }
  if (routePath === "/") return undefined;
  if (routePath.endsWith("/")) {
    return { message: `path "${routePath}" ends with /`, fix: `write "${routePath.replace(/\/+$/, "")}"` };
  }
  const segments = routePath.slice(1).split("/");
  const names = new Set<string>();
  for (const [index, segment] of segments.entries()) {
    if (segment === "") return { message: `path "${routePath}" has an empty segment`, fix: "remove the //" };
    const param = PARAM.exec(segment);
    if (param) {
      const name = param[1] ?? "";
      if (param[2] === "+" && index !== segments.length - 1) {
        return {
          message: `the greedy variable {${name}+} must be the last segment of "${routePath}"`,
          fix: "move it to the end, or drop the +",
        };
      }
      if (names.has(name)) {
        return {
          message: `path "${routePath}" uses {${name}} twice`,
          fix: "give each variable its own name",
        };
      }
      names.add(name);
    } else if (segment.includes("{") || segment.includes("}") || !LITERAL.test(segment)) {
      return {
        message: `segment "${segment}" of "${routePath}" is neither plain text nor a whole {variable}`,
        fix: "make the variable the whole segment, e.g. /items/{id}, and use URL-safe characters elsewhere",
      };
    }
  }
  return undefined;
}

/** The shape API Gateway compares when it refuses two routes that differ only in variable names. */
export function routeShape(routeKey: string): string {
  return routeKey.replace(/\{[^}+]+\+\}/g, "{+}").replace(/\{[^}]+\}/g, "{}");
}
