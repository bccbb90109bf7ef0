/**
 * HTTP API route selection. API Gateway picks the most specific match: a full match of method and
 * path (variables included) first, then a route whose greedy `{proxy+}` takes the rest of the
 * path, then `$default`. Among equals, literal segments beat variables from the left, a longer
 * greedy prefix beats a shorter one, and a route's own method beats `ANY`.
 */
import type { HttpRouteSpec } from "../../model/http-api.ts";
import { decode } from "../apigateway/index.ts";

export interface RouteMatch {
  readonly route: HttpRouteSpec;
  /** Decoded values of the path's variables; empty for none. */
  readonly pathParameters: Readonly<Record<string, string>>;
}

type Segment = { readonly literal: string } | { readonly param: string } | { readonly greedy: string };

interface Compiled {
  readonly route: HttpRouteSpec;
  readonly segments: readonly Segment[];
  readonly greedy: boolean;
  /** Literal positions as a bit string, for "literals beat variables from the left". */
  readonly rank: string;
}

export class RouteTable {
  private readonly exact = new Map<string, HttpRouteSpec>();
  private readonly patterns: Compiled[];
  private readonly fallback: HttpRouteSpec | undefined;

  constructor(routes: readonly HttpRouteSpec[]) {
    const patterns: Compiled[] = [];
    for (const route of routes) {
      if (route.method === "$default" || route.path === undefined) continue;
      const segments = compile(route.path);
      if (segments.every((s) => "literal" in s)) this.exact.set(route.routeKey, route);
      patterns.push({
        route,
        segments,
        greedy: segments.some((s) => "greedy" in s),
        rank: segments.map((s) => ("literal" in s ? "1" : "0")).join(""),
      });
    }
    this.patterns = patterns.sort(bySpecificity);
    this.fallback = routes.find((r) => r.method === "$default");
  }

  /** The route for `method` on `path` (the path without the stage, still percent-encoded). */
  match(method: string, path: string): RouteMatch | undefined {
    const exact = this.exact.get(`${method} ${path}`) ?? this.exact.get(`ANY ${path}`);
    if (exact) return { route: exact, pathParameters: {} };
    const parts = path === "/" ? [] : path.slice(1).split("/");
    for (const candidate of this.patterns) {
      const routeMethod = candidate.route.method;
      if (routeMethod !== method && routeMethod !== "ANY") continue;
      const parameters = matchSegments(candidate.segments, parts);
      if (parameters) return { route: candidate.route, pathParameters: parameters };
    }
    return this.fallback ? { route: this.fallback, pathParameters: {} } : undefined;
  }
}

function compile(path: string): Segment[] {
  if (path === "/") return [];
  return path
    .slice(1)
    .split("/")
    .map((segment) => {
      const param = /^\{(.+?)(\+?)\}$/.exec(segment);
      if (!param) return { literal: segment };
      return param[2] === "+" ? { greedy: param[1] ?? "" } : { param: param[1] ?? "" };
    });
}

function bySpecificity(a: Compiled, b: Compiled): number {
  if (a.greedy !== b.greedy) return a.greedy ? 1 : -1;
  if (a.greedy && a.segments.length !== b.segments.length) return b.segments.length - a.segments.length;
  if (a.rank !== b.rank) return a.rank > b.rank ? -1 : 1;
  const anyA = a.route.method === "ANY";
  const anyB = b.route.method === "ANY";
  return anyA === anyB ? 0 : anyA ? 1 : -1;
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const parameters: Record<string, string> = {};
  for (const [index, segment] of segments.entries()) {
    if ("greedy" in segment) {
      // A greedy variable takes one segment or more: `/{proxy+}` does not match `/`.
      const rest = parts.slice(index);
      if (rest.length === 0 || (rest.length === 1 && rest[0] === "")) return undefined;
      parameters[segment.greedy] = decode(rest.join("/"));
      return parameters;
    }
    const part = parts[index];
    if (part === undefined) return undefined;
    if ("literal" in segment) {
      if (segment.literal !== part && segment.literal !== decode(part)) return undefined;
    } else {
      if (part === "") return undefined;
      parameters[segment.param] = decode(part);
    }
  }
  return parts.length === segments.length ? parameters : undefined;
}
