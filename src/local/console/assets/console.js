// The Sluice console, the page's entry module: plain browser JS, no framework, no build step,
// nothing loaded from elsewhere.
// It reads the control token from its own URL (/_sluice/console/<token>/) and calls the control API
// (docs/console.md) with it. The server's CSP forbids inline scripts and styles, so everything here
// builds DOM nodes and sets element.style only from script.
// The page is ES modules the server serves from a fixed list (local/console/console-assets.ts):
// api.js, dom.js, graph.js, list.js, timeline.js, actions.js.
import { loadFailover, loadLists, renderResourceOptions, wireActions } from "./actions.js";
import { api } from "./api.js";
import { announce } from "./dom.js";
import { loadGraph, refreshCounters, renderCounters } from "./graph.js";
import { clockNow, followChanges, loadTraces, takeCursor, wireList } from "./list.js";

async function start() {
  wireList();
  wireActions();
  await takeCursor().catch(() => {});
  // Everything at once: the list does not wait for the graph, nor the forms for the list.
  const drawn = Promise.all([loadGraph(), api("/counters").catch(() => [])]).then(([, counters]) =>
    renderCounters(counters),
  );
  await Promise.all([loadTraces(), loadLists(), loadFailover(), drawn, clockNow().catch(() => {})]);
  renderResourceOptions(); // the graph and the counters name resources too
  document.body.setAttribute("data-ready", "true");
  setInterval(() => {
    refreshCounters(false);
    clockNow().catch(() => {});
  }, 5000);
  followChanges();
}

start().catch((error) => announce(`starting the console: ${error.message}`, true));
