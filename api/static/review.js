// The review desk: one field at a time, keyboard only, through the review API.
// The next task is claimed and its crop decoded while the operator works on the current one.
"use strict";

const $ = (id) => document.getElementById(id);
const desk = {
  csrf: null, current: null, next: null, nextTask: null, busy: false, skipped: new Set(),
  group: null, // { id, items, odd: Set of task ids, focus }
  oddOnes: [], // task ids marked in a group: still held, opened singly first
};

async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && desk.csrf) headers["X-CSRF-Token"] = desk.csrf;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin",
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json();
  return { status: response.status, data };
}

function show(section) {
  for (const id of ["sign-in", "desk", "group", "empty"]) $(id).hidden = id !== section;
}

async function start() {
  const me = await api("GET", "/v1/sessions/current");
  if (me.status === 200) return signedIn(me.data);
  show("sign-in");
  $("key").focus();
}

$("sign-in-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const answer = await api("POST", "/v1/sessions", { key: $("key").value.trim() });
  $("key").value = "";
  if (answer.status !== 201) {
    $("sign-in-error").textContent = answer.data.error.message;
    $("key").focus();
    return;
  }
  await signedIn(answer.data);
});

async function signedIn(me) {
  desk.csrf = me.csrf_token;
  $("operator").textContent = me.name;
  desk.current = await claimNext();
  display();
  prefetch();
  setInterval(renewLeases, 60_000);
}

function held() {
  return new Set([desk.current?.task.id, desk.nextTask?.task.id].filter(Boolean));
}

function prefetch() {
  desk.nextTask = null;
  desk.next = claimNext().then((prepared) => (desk.nextTask = prepared));
}

// Claims the next task: first the odd ones out of a group, then the oldest the operator may
// take that is not shown and not skipped; decodes its crop before it is shown.
async function claimNext() {
  while (desk.oddOnes.length) {
    const prepared = await claimTask(desk.oddOnes.shift());
    if (prepared) return prepared;
  }
  const filters = new URLSearchParams(location.search);
  filters.set("limit", "20");
  const list = await api("GET", `/v1/review/tasks?${filters}`);
  if (list.status !== 200) return null;
  const taken = held();
  for (const item of list.data.items) {
    if (desk.skipped.has(item.id) || taken.has(item.id)) continue;
    const prepared = await claimTask(item.id);
    if (prepared) return prepared;
  }
  return null;
}

async function claimTask(id) {
  const claimed = await api("POST", `/v1/review/tasks/${id}/claim`);
  if (claimed.status !== 200) return null;
  const crop = await loadCrop(claimed.data);
  return { task: claimed.data, crop };
}

async function loadCrop(task) {
  const crop = new Image();
  crop.alt = `${task.field_label}: vùng ảnh`;
  crop.src = `/v1/review/tasks/${task.id}/crop`;
  await crop.decode().catch(() => { crop.alt = "Không tìm thấy trường trên trang"; });
  return crop;
}

async function renewLeases() {
  for (const id of held()) await api("POST", `/v1/review/tasks/${id}/claim`);
}

function display() {
  const prepared = desk.current;
  if (!prepared) { show("empty"); return; }
  const task = prepared.task;
  prepared.crop.id = "crop";
  $("crop-slot").replaceChildren(prepared.crop);
  $("document-title").textContent = task.document_title;
  $("receipt").textContent = task.receipt_code;
  $("field-label").textContent = task.field_label;
  $("confidence").textContent = `${Math.round(task.confidence * 100)}%`;
  $("reasons").replaceChildren(...[...task.reasons.map((reason) => {
    const item = document.createElement("li");
    item.className = reason.supports ? "for" : "against";
    item.textContent = reason.text;
    return item;
  }), ...task.problems.map((problem) => {
    const item = document.createElement("li");
    item.className = "against";
    item.textContent = problem;
    return item;
  })]);
  $("override").hidden = true;
  $("override-reason").value = "";
  const secondKeying = task.awaiting_second_keying;
  $("prompt").textContent = secondKeying ? "Gõ lại giá trị để xác nhận (lần hai)" : "";
  $("value").value = secondKeying ? "" : (task.value ?? "");
  show("desk");
  $("value").focus();
  $("value").select();
  document.body.dataset.task = String(task.id);
}

async function advance() {
  desk.current = desk.next ? await desk.next : null;
  desk.nextTask = null;
  if (!desk.current) desk.current = await claimNext();
  display();
  prefetch();
}

async function resolve(body) {
  const task = desk.current.task;
  const answer = await api("POST", `/v1/review/tasks/${task.id}/resolve`, body);
  if (answer.status === 200) {
    const outcome = answer.data.outcome;
    if (outcome === "closed") return advance();
    $("value").value = "";
    $("value").focus();
    $("prompt").textContent = outcome === "awaiting_second_keying"
      ? "Gõ lại giá trị để xác nhận (lần hai)"
      : "Hai lần gõ không khớp: gõ lại giá trị hai lần";
    return;
  }
  if (answer.status === 422 && answer.data.error.code === "value_invalid") {
    $("prompt").textContent = answer.data.error.message;
    $("override").hidden = false;
    $("override-reason").focus();
    return;
  }
  $("prompt").textContent = answer.data?.error?.message ?? `Lỗi ${answer.status}`;
  if (answer.status === 409) return advance();
}

function decision() {
  const typed = $("value").value.normalize("NFC").trim();
  const task = desk.current.task;
  const unchanged = !task.awaiting_second_keying && typed === (task.value ?? "");
  if (unchanged) return { resolution: "accepted" };
  const body = { resolution: "corrected", value: typed };
  const override = $("override-reason").value.normalize("NFC").trim();
  if (!$("override").hidden && override) body.override_reason = override;
  return body;
}

const SINGLE_KEYS = {
  Enter: () => resolve(decision()),
  F2: () => resolve({ resolution: "absent" }),
  Escape: () => skip(),
  F9: () => openGroup(),
};

async function skip() {
  const task = desk.current.task;
  desk.skipped.add(task.id);
  await api("POST", `/v1/review/tasks/${task.id}/release`);
  await advance();
}

// Group mode: the same field of many documents, as a grid of crops with their values.
async function openGroup() {
  const groups = await api("GET", "/v1/review/groups");
  if (groups.status !== 200 || !groups.data.length) {
    $("prompt").textContent = "Không có nhóm nào để kiểm tra";
    return;
  }
  const current = desk.current && `${desk.current.task.document_type}.${desk.current.task.field_name}`;
  const chosen = groups.data.find((group) => group.id === current) ?? groups.data[0];
  const claimed = await api("POST", `/v1/review/groups/${encodeURIComponent(chosen.id)}/claim`);
  if (claimed.status !== 200 || !claimed.data.items.length) return leaveGroup();
  const crops = await Promise.all(claimed.data.items.map(loadCrop));
  desk.group = { id: chosen.id, items: claimed.data.items, odd: new Set(), focus: 0 };
  $("group-label").textContent = chosen.field_label;
  $("group-size").textContent = String(claimed.data.items.length);
  $("tiles").replaceChildren(...claimed.data.items.map((task, index) => {
    const tile = document.createElement("li");
    tile.tabIndex = -1;
    tile.dataset.task = String(task.id);
    const value = document.createElement("p");
    value.textContent = task.value ?? "—";
    tile.append(crops[index], value);
    return tile;
  }));
  show("group");
  focusTile(0);
}

function focusTile(index) {
  const tiles = $("tiles").children;
  desk.group.focus = Math.max(0, Math.min(tiles.length - 1, index));
  tiles[desk.group.focus].focus();
}

function toggleOdd() {
  const tile = $("tiles").children[desk.group.focus];
  const id = Number(tile.dataset.task);
  if (desk.group.odd.has(id)) desk.group.odd.delete(id); else desk.group.odd.add(id);
  tile.classList.toggle("odd", desk.group.odd.has(id));
}

async function confirmGroup() {
  const group = desk.group;
  const body = { task_ids: group.items.map((task) => task.id), odd: [...group.odd] };
  const answer = await api("POST", `/v1/review/groups/${encodeURIComponent(group.id)}/resolve`, body);
  if (answer.status !== 200) {
    $("group-label").textContent = answer.data?.error?.message ?? `Lỗi ${answer.status}`;
    return;
  }
  desk.oddOnes.push(...answer.data.odd);
  if (desk.oddOnes.length) return leaveGroup();
  return openGroup();
}

async function leaveGroup(release = false) {
  if (release) {
    for (const task of desk.group.items) await api("POST", `/v1/review/tasks/${task.id}/release`);
  }
  desk.group = null;
  desk.current = await claimNext();
  display();
  prefetch();
}

const GROUP_KEYS = {
  Enter: () => confirmGroup(),
  " ": async () => toggleOdd(),
  ArrowRight: async () => focusTile(desk.group.focus + 1),
  ArrowLeft: async () => focusTile(desk.group.focus - 1),
  ArrowDown: async () => focusTile(desk.group.focus + columns()),
  ArrowUp: async () => focusTile(desk.group.focus - columns()),
  Escape: () => leaveGroup(true),
};

function columns() {
  const style = getComputedStyle($("tiles")).gridTemplateColumns;
  return Math.max(1, style.split(" ").length);
}

document.addEventListener("keydown", (event) => {
  if (event.isComposing) return;
  let keys = null;
  if (desk.group && !$("group").hidden) keys = GROUP_KEYS;
  else if (desk.current && !$("desk").hidden) keys = SINGLE_KEYS;
  else if (!$("empty").hidden) keys = { F9: () => openGroup() };
  if (!keys) return;
  const action = keys[event.key];
  if (!action) return;
  event.preventDefault();
  if (desk.busy) return;
  desk.busy = true;
  action().finally(() => { desk.busy = false; });
});

start();
