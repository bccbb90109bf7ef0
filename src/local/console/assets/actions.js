// The actions: send, put an event, invoke, redrive, purge, advance the clock, trigger a schedule,
// fail or heal a region, replay a hop; their results go to the live region.
import { ApiError, api } from "./api.js";
import { $, announce, el, fmtDuration, fmtTime, parseDuration, state } from "./dom.js";
import { refreshCounters } from "./graph.js";
import { prefillInvoke } from "./timeline.js";

function fillSelect(select, values, label = (v) => v) {
  const current = select.value;
  select.replaceChildren(...values.map((v) => el("option", { value: v, text: label(v) })));
  // None: an empty choice, which the select's `required` refuses with the browser's own message.
  if (values.length === 0) select.append(el("option", { value: "", text: "(none in this app)" }));
  if (values.includes(current)) select.value = current;
}

export async function loadLists() {
  const [functions, queues, schedules] = await Promise.all([
    api("/functions").catch(() => []),
    api("/queues").catch(() => []),
    api("/schedules?count=1").catch(() => []),
  ]);
  const fnNames = functions.map((f) => f.name ?? f.functionName).filter(Boolean);
  fillSelect($("invoke-function"), fnNames);
  const queueNames = queues.map((q) => q.name);
  const queueLabel = new Map(queues.map((q) => [q.name, `${q.name} (${q.visible} visible)`]));
  for (const id of ["send-queue", "purge-queue"])
    fillSelect($(id), queueNames, (n) => queueLabel.get(n) ?? n);
  // Dead-letter queues first: the ones a redrive is for.
  const dlqs = queueNames.filter((n) => /dlq|dead/i.test(n));
  fillSelect(
    $("redrive-queue"),
    [...dlqs, ...queueNames.filter((n) => !dlqs.includes(n))],
    (n) => queueLabel.get(n) ?? n,
  );
  fillSelect(
    $("schedule-name"),
    schedules.map((s) => s.name),
  );
  for (const f of fnNames) state.resources.add(`function:${f}`);
  for (const q of queueNames) state.resources.add(`queue:${q}`);
  for (const s of schedules) state.resources.add(`schedule:${s.name}`);
  renderResourceOptions();
}

/** The resource filter and the bus names, from every resource the graph, counters and lists named. */
export function renderResourceOptions() {
  const buses = [...state.resources].filter((r) => r.startsWith("bus:")).map((r) => r.slice(4));
  $("bus-names").replaceChildren(...buses.map((b) => el("option", { value: b })));
  const resourceSelect = $("filter-resource");
  const chosen = resourceSelect.value;
  resourceSelect.replaceChildren(
    el("option", { value: "", text: "All resources" }),
    ...[...state.resources].sort().map((r) => el("option", { value: r, text: r })),
  );
  resourceSelect.value = chosen;
}

export async function loadFailover() {
  try {
    // Ask /failover only where it answers (a multi-region dev), so a one-region page logs no 400.
    const health = await api("/health");
    if (!health?.drills) throw new ApiError("no drills here");
    const report = await api("/failover");
    // Failing a region means something only where another one takes over.
    if ((report.regions ?? []).length < 2) throw new ApiError("one region");
    fillSelect($("failover-region"), report.regions ?? []);
    $("failover-state").textContent = report.outages?.length
      ? `Outage now: ${report.outages.join(", ")}`
      : "Every region is up.";
    $("failover-form").hidden = false;
  } catch {
    $("failover-form").hidden = true;
  }
}

/** Runs an action: its result or error goes to the live region, then the views catch up. */
async function act(form, run) {
  const buttons = form.querySelectorAll("button");
  for (const b of buttons) b.disabled = true;
  try {
    announce(await run());
  } catch (error) {
    announce(error.message, true);
  } finally {
    for (const b of buttons) b.disabled = false;
    refreshCounters();
    loadLists().catch(() => {});
  }
}

function jsonText(text, what) {
  try {
    JSON.parse(text);
  } catch {
    throw new ApiError(`${what} is not valid JSON`);
  }
  return text;
}

function onSubmit(id, run) {
  $(id).addEventListener("submit", (event) => {
    event.preventDefault();
    act(event.currentTarget, () => run(event.currentTarget, event.submitter));
  });
}

export function wireActions() {
  onSubmit("send-form", async () => {
    const queue = $("send-queue").value;
    const result = await api("/send", { queue, body: $("send-body").value });
    return `Sent message ${result?.messageId ?? ""} to ${queue}.`;
  });
  onSubmit("event-form", async () => {
    const body = {
      bus: $("event-bus").value,
      source: $("event-source").value,
      detailType: $("event-detail-type").value,
      detail: jsonText($("event-detail").value, "The detail"),
    };
    const result = await api("/put-event", body);
    return `Put event ${result?.eventId ?? ""} on ${body.bus}.`;
  });
  onSubmit("invoke-form", async () => {
    const fn = $("invoke-function").value;
    const result = await api("/invoke", {
      function: fn,
      payload: $("invoke-payload").value,
      async: $("invoke-async").checked,
    });
    if (result.async) return `Queued an asynchronous invocation of ${fn} (${result.requestId}).`;
    return `${fn} answered ${result.statusCode}${result.functionError ? ` with ${result.functionError}` : ""}: ${result.payload}`;
  });
  onSubmit("redrive-form", async () => {
    const queue = $("redrive-queue").value;
    const result = await api("/redrive", { queue });
    return `Redrove ${result.moved} message${result.moved === 1 ? "" : "s"} from ${queue}.`;
  });
  onSubmit("purge-form", async () => {
    const queue = $("purge-queue").value;
    if (!confirm(`Delete every message in ${queue}? This cannot be undone.`))
      return `Purge of ${queue} cancelled.`;
    const result = await api("/purge", { queue });
    return `Purged ${queue}${result?.purged !== undefined ? ` (${result.purged} messages)` : ""}.`;
  });
  onSubmit("advance-form", async () => {
    const ms = parseDuration($("advance-duration").value);
    if (ms === undefined || ms <= 0)
      throw new ApiError(
        `"${$("advance-duration").value}" is not a duration such as "30 seconds" or "5 minutes"`,
      );
    const result = await api("/time/advance", { ms });
    $("app-clock").textContent = `clock ${fmtTime(result.now)}`;
    return `Advanced the clock by ${fmtDuration(ms)} to ${fmtTime(result.now)}.`;
  });
  onSubmit("schedule-form", async () => {
    const schedule = $("schedule-name").value;
    const result = await api("/schedules/trigger", { schedule });
    return `Triggered ${schedule}${result?.traceId ? ` (trace ${result.traceId})` : ""}.`;
  });
  onSubmit("failover-form", async (_form, submitter) => {
    const op = submitter?.value === "heal" ? "heal" : "fail";
    const region = $("failover-region").value;
    await api(`/failover/${op}`, { kind: "region", region });
    await loadFailover();
    return op === "fail" ? `Failed region ${region}.` : `Healed region ${region}.`;
  });
  $("replay-hop").addEventListener("click", () => {
    const hop = state.selectedHop;
    if (!hop) return;
    act($("hop-detail"), async () => {
      const result = await api("/replay", { traceId: hop.traceId, hopId: hop.hopId });
      return `Replayed hop ${hop.hopId} as trace ${result.traceId}.`;
    });
  });
  $("edit-in-invoke").addEventListener(
    "click",
    () => state.selectedHop && prefillInvoke(state.selectedHop, true),
  );
}
