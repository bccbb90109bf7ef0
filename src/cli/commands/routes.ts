import { loadApp } from "../../bundle/load-app.ts";
import { APP_OPTIONS, APP_OPTIONS_HELP, appDir, type Command } from "../command.ts";
import { table } from "../output.ts";

export const routesCommand: Command = {
  name: "routes",
  summary: "list the HTTP and WebSocket API routes and the functions they invoke",
  help: [
    "Usage: sluice routes [dir] [options]",
    "",
    "Lists every route of the app's HTTP API (with its stage and payload format) and of its",
    "WebSocket API (with its route selection expression), and the function each one invokes.",
    "",
    ...APP_OPTIONS_HELP,
  ].join("\n"),
  positionals: 1,
  options: { ...APP_OPTIONS },
  async run(args, output) {
    const { spec } = await loadApp(appDir(args, args.positionals[0]));
    if (args.values.json) {
      output.out(JSON.stringify({ http: spec.http ?? null, websocket: spec.websocket ?? null }, null, 2));
      return 0;
    }
    if (!spec.http && !spec.websocket) {
      output.out(
        `${spec.name} has no HTTP or WebSocket routes; add http: "GET /" to a function, or a websocket section`,
      );
      return 0;
    }
    const rows: string[][] = [["API", "ROUTE", "FUNCTION"]];
    for (const route of spec.http?.routes ?? []) {
      rows.push(["http", route.routeKey, route.function + (route.health ? " (health check)" : "")]);
    }
    for (const route of spec.websocket?.routes ?? [])
      rows.push(["websocket", route.routeKey, route.function]);
    output.out(table(rows));
    const notes: string[] = [];
    if (spec.http)
      notes.push(
        `HTTP API: stage ${spec.http.stage}, payload format ${spec.http.payloadFormat}${spec.http.cors ? ", CORS on" : ""}`,
      );
    if (spec.websocket) {
      notes.push(
        `WebSocket API: stage ${spec.websocket.stage}, route selection ${spec.websocket.routeSelectionExpression}`,
      );
    }
    output.out(`\n${notes.join("\n")}`);
    return 0;
  },
};
