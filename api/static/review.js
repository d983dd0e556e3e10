// The review desk: one field at a time, keyboard only, through the review API.
// The next task is claimed and its crop decoded while the operator works on the current one;
// a decision whose outcome is known (accept a value read, absent) shows the next at once and is
// saved behind it: should the save be refused, the task opens again.
"use strict";

const $ = (id) => document.getElementById(id);
const desk = {
  csrf: null, current: null, next: null, nextTask: null, busy: false, skipped: new Set(),
  group: null, // { id, items, odd: Set of task ids, focus }
  oddOnes: [], // task ids marked in a group: still held, opened singly first
  saving: new Map(), // task id -> the save of a decision shown as done, until it answers
  back: "desk", // the section the page view and the queue view return to
};

async function api(method, path, body, keepalive = false) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && desk.csrf) headers["X-CSRF-Token"] = desk.csrf;
  const response = await fetch(path, {
    method, headers, credentials: "same-origin", keepalive,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const data = response.status === 204 ? null : await response.json();
  return { status: response.status, data };
}

const SECTIONS = ["sign-in", "desk", "group", "empty", "page-view", "queue"];

function show(section) {
  for (const id of SECTIONS) $(id).hidden = id !== section;
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
    if (desk.skipped.has(item.id) || taken.has(item.id) || desk.saving.has(item.id)) continue;
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
  const due = task.due_on ? ` · hẹn trả ${task.due_on.split("-").reverse().join("/")}` : "";
  $("receipt").textContent = task.receipt_code + due;
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
  if (!desk.current) {
    await Promise.all(desk.saving.values()); // a refused save opens its task again
    desk.current = await claimNext();
  }
  display();
  prefetch();
}

// Accepting the value read, or marking the field absent, closes the task: the server refuses
// it only when the lease was lost, which the notice then says.
function settlesAtOnce(task, body) {
  if (body.resolution === "absent") return true;
  return body.resolution === "accepted" && task.value != null && !task.awaiting_second_keying;
}

function saveBehind(task, body) {
  const path = `/v1/review/tasks/${task.id}/resolve`;
  const saved = api("POST", path, body, true)
    .catch(() => ({ status: 0, data: null }))
    .then((answer) => {
      desk.saving.delete(task.id);
      if (answer.status === 200 && answer.data.outcome === "closed") return;
      const why = answer.data?.error?.message ?? (answer.status ? `lỗi ${answer.status}` : "mất kết nối");
      $("notice").textContent =
        `Chưa lưu được "${task.field_label}" của hồ sơ ${task.receipt_code}: ${why}. Trường này sẽ được mở lại.`;
      desk.oddOnes.push(task.id);
    });
  desk.saving.set(task.id, saved);
}

async function resolve(body) {
  const task = desk.current.task;
  $("notice").textContent = ""; // read by now: the operator has moved on
  if (settlesAtOnce(task, body)) {
    saveBehind(task, body);
    return advance();
  }
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
  F8: () => showPage(),
  F9: () => openGroup(),
  F4: () => showQueue(),
};

// The whole page, the field's box drawn on it, one key away and back.
async function showPage() {
  const task = desk.current.task;
  if (task.page == null) {
    $("prompt").textContent = "Trường này không có vị trí trên trang";
    return;
  }
  const image = $("page-image");
  const box = $("page-box");
  box.hidden = true;
  image.src = `/v1/documents/${task.document_id}/pages/${task.page}/image`;
  $("page-caption").textContent = `${task.document_title} · ${task.receipt_code} · trang ${task.page}`;
  desk.back = "desk";
  show("page-view");
  const loaded = await image.decode().then(() => true, () => false);
  if (!loaded) {
    $("page-caption").textContent = "Không tải được ảnh trang";
    return;
  }
  if (task.box) {
    const [left, top, width, height] = task.box;
    const across = image.naturalWidth, down = image.naturalHeight;
    Object.assign(box.style, {
      left: `${(100 * left) / across}%`, top: `${(100 * top) / down}%`,
      width: `${(100 * width) / across}%`, height: `${(100 * height) / down}%`,
    });
    box.hidden = false;
    box.scrollIntoView({ block: "center" });
  }
}

// The queue at a glance: what waits, by document type, field and age, and the operator's day.
async function showQueue() {
  const answer = await api("GET", "/v1/review/queue");
  if (answer.status !== 200) {
    $("notice").textContent = answer.data?.error?.message ?? `Lỗi ${answer.status}`;
    return;
  }
  const queue = answer.data;
  const others = queue.held_by_others ? `, ${queue.held_by_others} đang do người khác kiểm tra` : "";
  const oldest = queue.oldest ? `; hồ sơ chờ lâu nhất nhận lúc ${localTime(queue.oldest)}` : "";
  $("queue-summary").textContent = `${queue.total} trường chờ kiểm tra${others}${oldest}.`;
  fillRows("queue-types", queue.by_document_type.map((row) => [row.document_title, row.tasks]));
  fillRows("queue-fields", queue.by_field.map((row) => [row.document_title, row.field_label, row.tasks]));
  fillRows("queue-ages", queue.by_age.map((row) => [row.label, row.tasks]));
  const mine = queue.mine_today;
  const pace = mine.per_hour ? `, khoảng ${mine.per_hour} trường mỗi giờ` : "";
  $("queue-mine").textContent = `Hôm nay bạn đã kiểm tra ${mine.closed} trường (chấp nhận `
    + `${mine.accepted}, sửa ${mine.corrected}, không có ${mine.absent})${pace}.`;
  desk.back = SECTIONS.find((id) => !$(id).hidden) ?? "desk";
  show("queue");
  $("queue").focus();
}

function localTime(moment) {
  return new Date(moment).toLocaleString("vi-VN");
}

function fillRows(table, rows) {
  $(table).tBodies[0].replaceChildren(...rows.map((cells) => {
    const row = document.createElement("tr");
    for (const cell of cells) {
      const item = document.createElement("td");
      item.textContent = String(cell);
      row.append(item);
    }
    return row;
  }));
}

async function goBack() {
  show(desk.back);
  if (desk.back === "desk") $("value").focus();
  else if (desk.back === "group") focusTile(desk.group.focus);
}

const BACK_KEYS = { Escape: () => goBack(), F4: () => goBack(), F8: () => goBack() };

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
  F4: () => showQueue(),
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
  if (!$("page-view").hidden || !$("queue").hidden) keys = BACK_KEYS;
  else if (desk.group && !$("group").hidden) keys = GROUP_KEYS;
  else if (desk.current && !$("desk").hidden) keys = SINGLE_KEYS;
  else if (!$("empty").hidden) keys = { F9: () => openGroup(), F4: () => showQueue() };
  if (!keys) return;
  const action = keys[event.key];
  if (!action) return;
  event.preventDefault();
  if (desk.busy) return;
  desk.busy = true;
  action().finally(() => { desk.busy = false; });
});

start();
