// The review desk: one field at a time, keyboard only, through the review API.
// The next task is claimed and its crop decoded while the operator works on the current one.
"use strict";

const $ = (id) => document.getElementById(id);
const desk = { csrf: null, current: null, next: null, nextTask: null, busy: false, skipped: new Set() };

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
  for (const id of ["sign-in", "desk", "empty"]) $(id).hidden = id !== section;
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

// Claims the oldest task the operator may take, not shown and not skipped, and decodes its crop.
async function claimNext() {
  const filters = new URLSearchParams(location.search);
  filters.set("limit", "20");
  const list = await api("GET", `/v1/review/tasks?${filters}`);
  if (list.status !== 200) return null;
  const taken = held();
  for (const item of list.data.items) {
    if (desk.skipped.has(item.id) || taken.has(item.id)) continue;
    const claimed = await api("POST", `/v1/review/tasks/${item.id}/claim`);
    if (claimed.status !== 200) continue;
    const crop = new Image();
    crop.alt = `${claimed.data.field_label}: vùng ảnh`;
    crop.src = `/v1/review/tasks/${item.id}/crop`;
    await crop.decode().catch(() => { crop.alt = "Không tìm thấy trường trên trang"; });
    return { task: claimed.data, crop };
  }
  return null;
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

async function skip() {
  const task = desk.current.task;
  desk.skipped.add(task.id);
  await api("POST", `/v1/review/tasks/${task.id}/release`);
  await advance();
}

document.addEventListener("keydown", (event) => {
  if (!desk.current || $("desk").hidden || event.isComposing) return;
  const keys = {
    Enter: () => resolve(decision()),
    F2: () => resolve({ resolution: "absent" }),
    Escape: () => skip(),
  };
  const action = keys[event.key];
  if (!action) return;
  event.preventDefault();
  if (desk.busy) return;
  desk.busy = true;
  action().finally(() => { desk.busy = false; });
});

start();
