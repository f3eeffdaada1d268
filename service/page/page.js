// The status page: look an intent up (its id also in the URL's hash, so a link opens it), follow
// its timeline live over Server-Sent Events, and the solvers' table. Plain ES module, no build.
// Everything it loads comes from this service (the page's Content-Security-Policy allows nothing else).

const ID = /^0x[0-9a-fA-F]{64}$/;
const SOLVERS_EVERY_MS = 10_000;
/** How often the intent is re-read while there is no event stream (the SSE route absent or failed). */
const POLL_EVERY_MS = 2_000;

/** The status each indexed event leaves an intent in, where the event alone says it. */
const STATUS_AFTER = {
  IntentSubmitted: "Pending",
  IntentClaimed: "Executing",
  IntentCompleted: "Completed",
  IntentFilled: "Completed",
  IntentCancelled: "Cancelled",
  IntentExpired: "Expired",
};

const $ = (id) => document.getElementById(id);
const form = $("lookup");
const input = $("intent-id");
const lookupError = $("lookup-error");
const section = $("intent");
const timeline = $("timeline");

/** The intent on show: its id, the event stream, the poll, and its timeline entries by key. */
let current = null;

function short(address) {
  return typeof address === "string" && address.length > 14 ? `${address.slice(0, 8)}…${address.slice(-6)}` : address;
}

function setText(element, text) {
  element.textContent = text ?? "";
}

function showError(message) {
  setText(lookupError, message);
  input.setAttribute("aria-invalid", "true");
}

function clearError() {
  setText(lookupError, "");
  input.removeAttribute("aria-invalid");
}

function setStatus(status) {
  const element = $("intent-status");
  setText(element, status);
  element.dataset.status = status ?? "";
}

function setLive(text, state) {
  const element = $("intent-live");
  setText(element, text);
  element.dataset.state = state;
}

function stop() {
  if (current === null) return;
  current.source?.close();
  clearInterval(current.poll);
  current = null;
}

/** Draws the timeline from `current.entries`, oldest first. */
function render() {
  const entries = [...current.entries.values()].sort(
    (a, b) => a.blockNumber - b.blockNumber || (a.seq ?? a.order) - (b.seq ?? b.order),
  );
  const items = entries.map((entry) => {
    const li = document.createElement("li");
    li.dataset.status = entry.status ?? "";
    if (entry.seq !== undefined) li.dataset.seq = String(entry.seq);
    li.dataset.source = entry.source;
    const what = document.createElement(entry.retracted ? "del" : "span");
    what.className = "what";
    what.textContent = entry.status ?? entry.kind;
    li.append(what);
    if (entry.kind !== undefined && entry.status !== undefined) {
      li.append(" ", Object.assign(document.createElement("span"), { className: "kind", textContent: entry.kind }));
    }
    if (entry.retracted) {
      li.classList.add("retracted");
      li.append(
        " ",
        Object.assign(document.createElement("strong"), {
          className: "flag",
          textContent: "retracted (undone by a reorg)",
        }),
      );
    }
    const meta = document.createElement("span");
    meta.className = "meta";
    if (entry.timestamp) {
      const time = document.createElement("time");
      time.dateTime = entry.timestamp;
      time.textContent = new Date(entry.timestamp).toLocaleString();
      meta.append(time, " · ");
    }
    meta.append(`block ${entry.blockNumber}`);
    if (entry.txHash) {
      const code = document.createElement("code");
      code.textContent = short(entry.txHash);
      code.title = entry.txHash;
      meta.append(" · tx ", code);
    }
    li.append(meta);
    return li;
  });
  timeline.replaceChildren(...items);
}

/** The timeline as the store has it (the intent's transactions): the view until the stream's history arrives. */
function entriesFromStore(intent) {
  const entries = new Map();
  (intent?.transactions ?? []).forEach((tx, order) => {
    entries.set(`store:${order}`, {
      source: "store",
      order,
      kind: tx.kind,
      status: STATUS_AFTER[tx.kind],
      blockNumber: Number(tx.blockNumber),
      txHash: tx.hash,
    });
  });
  return entries;
}

function showIntent(body) {
  const { intent, status } = body;
  setStatus(status);
  setText($("intent-type"), intent?.type ?? "not in the store");
  setText($("intent-user"), intent?.user ?? "—");
  setText($("intent-solver"), intent?.solver ?? "none yet");
}

async function fetchIntent(id) {
  const response = await fetch(`/api/intents/${id}`, { headers: { accept: "application/json" } });
  const body = await response.json().catch(() => null);
  if (!response.ok) {
    const error = new Error(body?.error?.message ?? `the service answered ${response.status}`);
    error.code = body?.error?.code;
    error.statusCode = response.status;
    throw error;
  }
  return body;
}

/** Re-reads the intent (its solver, its type, and the status while there is no stream). */
async function refresh(view) {
  try {
    const body = await fetchIntent(view.id);
    if (current !== view) return;
    showIntent(body);
    if (!view.streaming) {
      view.entries = entriesFromStore(body.intent);
      render();
    } else if (view.status !== undefined) {
      setStatus(view.status); // the stream's word on the status is the latest
    }
  } catch {
    // The next poll or event tries again.
  }
}

function startPolling(view) {
  if (view.poll !== undefined) return;
  view.poll = setInterval(() => refresh(view), POLL_EVERY_MS);
}

function connect(view) {
  if (typeof EventSource !== "function") {
    setLive("not supported by this browser; re-read every 2 s", "polling");
    startPolling(view);
    return;
  }
  const source = new EventSource(`/api/intents/${view.id}/events`);
  view.source = source;
  let opened = false;
  source.addEventListener("open", () => {
    if (current !== view) return;
    setLive("connected", "live");
    if (!opened) view.awaitingHistory = true; // a first connection replays the whole history
    opened = true;
    clearInterval(view.poll);
    view.poll = undefined;
  });
  const take = (event) => {
    if (current !== view) return null;
    let data;
    try {
      data = JSON.parse(event.data);
    } catch {
      return null;
    }
    if (view.awaitingHistory) {
      view.awaitingHistory = false;
      view.entries = new Map(); // the stream's history replaces the store's view
    }
    view.streaming = true;
    return data;
  };
  source.addEventListener("intentUpdate", (event) => {
    const data = take(event);
    if (data === null) return;
    const seq = Number(data.seq ?? event.lastEventId);
    view.entries.set(`seq:${seq}`, {
      source: "live",
      seq,
      status: data.status,
      timestamp: data.timestamp,
      blockNumber: Number(data.blockNumber),
      txHash: data.txHash,
      retracted: view.retracted.has(seq),
    });
    view.status = data.status;
    setStatus(data.status);
    render();
    if (data.status === "Executing" || data.status === "Completed") refresh(view); // the solver
  });
  source.addEventListener("intentRetraction", (event) => {
    const data = take(event);
    if (data === null) return;
    const retracts = Number(data.retracts);
    view.retracted.add(retracts);
    const entry = view.entries.get(`seq:${retracts}`);
    if (entry !== undefined) entry.retracted = true;
    view.status = data.status;
    setStatus(data.status);
    render();
  });
  source.addEventListener("error", () => {
    if (current !== view) return;
    if (source.readyState === EventSource.CLOSED) {
      // The browser gave up (no such route, or not an event stream): re-read the intent instead.
      setLive("unavailable; re-read every 2 s", "polling");
      view.streaming = false;
      startPolling(view);
    } else {
      setLive("reconnecting…", "reconnecting"); // EventSource retries with Last-Event-ID
    }
  });
}

async function lookUp(raw, { fromHash = false } = {}) {
  const id = raw.trim();
  if (!ID.test(id)) {
    showError("An intent id is 0x followed by 64 hexadecimal digits.");
    if (!fromHash) input.focus();
    return;
  }
  clearError();
  const normalized = id.toLowerCase();
  let body;
  try {
    body = await fetchIntent(normalized);
  } catch (error) {
    stop();
    section.hidden = true;
    showError(
      error.code === "UNKNOWN_INTENT"
        ? `No intent ${normalized} is known to the store or the chain.`
        : `Could not look the intent up: ${error.message}`,
    );
    input.focus();
    return;
  }
  stop();
  const view = { id: normalized, entries: entriesFromStore(body.intent), retracted: new Set(), streaming: false };
  current = view;
  if (location.hash !== `#${normalized}`) history.replaceState(null, "", `#${normalized}`);
  setText($("intent-shown-id"), normalized);
  showIntent(body);
  render();
  section.hidden = false;
  setLive("connecting…", "connecting");
  connect(view);
  if (!fromHash) $("intent-heading").focus();
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  lookUp(input.value);
});

function fromHash() {
  const id = decodeURIComponent(location.hash.slice(1));
  if (id === "" || id.toLowerCase() === current?.id) return;
  input.value = id;
  lookUp(id, { fromHash: true });
}
window.addEventListener("hashchange", fromHash);

// The solvers' table.
function tokens(wei) {
  try {
    const value = BigInt(wei);
    const whole = value / 10n ** 18n;
    const fraction = (value % 10n ** 18n).toString().padStart(18, "0").slice(0, 4).replace(/0+$/, "");
    return `${whole.toLocaleString("en-US")}${fraction ? `.${fraction}` : ""}`;
  } catch {
    return String(wei);
  }
}

function percent(bps) {
  return `${(Number(bps) / 100).toFixed(2)} %`;
}

async function loadSolvers() {
  try {
    const response = await fetch("/api/solvers", { headers: { accept: "application/json" } });
    if (!response.ok) throw new Error(`the service answered ${response.status}`);
    const { solvers } = await response.json();
    const rows = solvers.map((solver) => {
      const tr = document.createElement("tr");
      tr.dataset.address = solver.address;
      const th = document.createElement("th");
      th.scope = "row";
      const code = document.createElement("code");
      code.textContent = solver.address;
      th.append(code);
      const cell = (text, className) =>
        Object.assign(document.createElement("td"), { textContent: text, className: className ?? "" });
      const bond = cell(tokens(solver.bond), "num");
      bond.dataset.wei = solver.bond;
      tr.append(
        th,
        cell(solver.status),
        bond,
        cell(percent(solver.successRateBps), "num"),
        cell(percent(solver.performanceScoreBps), "num"),
      );
      return tr;
    });
    if (rows.length === 0) {
      const td = Object.assign(document.createElement("td"), { colSpan: 5, textContent: "No solver registered yet." });
      rows.push(Object.assign(document.createElement("tr"), {}));
      rows[0].append(td);
    }
    document.querySelector("#solvers tbody").replaceChildren(...rows);
    setText($("solvers-updated"), `(as of ${new Date().toLocaleTimeString()})`);
    setText($("solvers-error"), "");
  } catch (error) {
    setText($("solvers-error"), `Could not load the solvers: ${error.message}`);
  }
}

$("intent-heading").tabIndex = -1;
loadSolvers();
setInterval(loadSolvers, SOLVERS_EVERY_MS);
fromHash();
