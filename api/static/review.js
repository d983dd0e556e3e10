// The review desk: one field at a time, keyboard only, through the review API.
// The next task is claimed and its crop decoded while the operator works on the current one;
// a decision whose outcome is known (accept a value read, absent) shows the next at once and is
// saved behind it: should the save be refused, the task opens again.
"use strict";

const $ = (id) => document.getElementById(id);
const desk = {
  csrf: null, current: null, next: null, nextTask: null, busy: false, skipped: new Set(),
  group: null, // { id, label, items, crops, odd: Set of task ids, focus }
  nextGroup: null, // the promise of the next group, claimed with its crops decoded
  backToGroup: false, // the odd ones of a group are open: the next group follows them
  oddOnes: [], // { task, crop } marked in a group: still held, opened singly first
  reopen: [], // ids of tasks whose save was refused: claimed again if they can be
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

// A page that sent the browser here to sign in (the dashboard) is where it goes back to.
function returnTo() {
  const next = new URLSearchParams(location.search).get("next");
  return next && next.startsWith("/") && !next.startsWith("//") ? next : null;
}

async function start() {
  const me = await api("GET", "/v1/sessions/current");
  if (me.status === 200 && returnTo()) return location.assign(returnTo());
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
  if (returnTo()) return location.assign(returnTo());
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
  if (desk.oddOnes.length) return desk.oddOnes.shift();
  if (desk.backToGroup) return null; // the next group is shown instead
  while (desk.reopen.length) {
    const prepared = await claimTask(desk.reopen.shift());
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
  const next = desk.nextGroup ? await desk.nextGroup : null;
  const ids = [...held(), ...desk.oddOnes.map((odd) => odd.task.id)];
  for (const group of [desk.group, next]) ids.push(...(group?.items ?? []).map((task) => task.id));
  for (const id of ids) await api("POST", `/v1/review/tasks/${id}/claim`);
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
  if (!desk.current && desk.backToGroup) return openGroup();
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

// Saves a decision already shown as done; ``ids`` are the tasks it closes, kept out of the
// queue until it answers, and opened again should it be refused.
function saveBehind(ids, path, body, what) {
  const saved = api("POST", path, body, true)
    .catch(() => ({ status: 0, data: null }))
    .then((answer) => {
      for (const id of ids) desk.saving.delete(id);
      if (answer.status === 200 && (answer.data.outcome ?? "closed") === "closed") return;
      const why = answer.data?.error?.message ?? (answer.status ? `lỗi ${answer.status}` : "mất kết nối");
      $("notice").textContent = `Chưa lưu được ${what}: ${why}. Sẽ được mở lại.`;
      desk.reopen.push(...ids);
    });
  for (const id of ids) desk.saving.set(id, saved);
}

async function resolve(body) {
  const task = desk.current.task;
  $("notice").textContent = ""; // read by now: the operator has moved on
  if (settlesAtOnce(task, body)) {
    const what = `"${task.field_label}" của hồ sơ ${task.receipt_code}`;
    saveBehind([task.id], `/v1/review/tasks/${task.id}/resolve`, body, what);
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

// Group mode: the same field of many documents, as a grid of crops with their values. The next
// group is claimed and its crops decoded while the operator looks at this one.
const GROUP_SIZE = 30;

async function prepareGroup(preferred, shown) {
  const groups = await api("GET", "/v1/review/groups");
  if (groups.status !== 200) return null;
  const order = [...groups.data].sort((a, b) => (b.id === preferred) - (a.id === preferred));
  for (const group of order) {
    // Claiming a group again returns the tasks held in it, shown or being saved: ask for more.
    const size = GROUP_SIZE + desk.saving.size + (group.id === shown.id ? shown.ids.size : 0);
    const path = `/v1/review/groups/${encodeURIComponent(group.id)}/claim?size=${size}`;
    const claimed = await api("POST", path);
    if (claimed.status !== 200) continue;
    const items = claimed.data.items
      .filter((task) => !shown.ids.has(task.id) && !desk.saving.has(task.id))
      .slice(0, GROUP_SIZE);
    if (!items.length) continue;
    const crops = await Promise.all(items.map(loadCrop));
    return { id: group.id, label: group.field_label, items, crops };
  }
  return null;
}

const NO_GROUP = { id: null, ids: new Set() };

async function openGroup() {
  const current = desk.current && `${desk.current.task.document_type}.${desk.current.task.field_name}`;
  const prepared = desk.nextGroup ? await desk.nextGroup : await prepareGroup(current, NO_GROUP);
  desk.nextGroup = null;
  if (!prepared) {
    if (desk.group || desk.backToGroup) return leaveGroup();
    $("prompt").textContent = "Không có nhóm nào để kiểm tra";
    return;
  }
  desk.backToGroup = false;
  desk.group = { ...prepared, odd: new Set(), focus: 0 };
  $("group-label").textContent = prepared.label;
  $("group-size").textContent = String(prepared.items.length);
  $("tiles").replaceChildren(...prepared.items.map((task, index) => {
    const tile = document.createElement("li");
    tile.tabIndex = -1;
    tile.dataset.task = String(task.id);
    const value = document.createElement("p");
    value.textContent = task.value ?? "—";
    tile.append(prepared.crops[index], value);
    return tile;
  }));
  show("group");
  focusTile(0);
  const shown = { id: prepared.id, ids: new Set(prepared.items.map((task) => task.id)) };
  desk.nextGroup = prepareGroup(prepared.id, shown);
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

// Enter confirms the group at once: the odd ones out (still held) or the next group show while
// the confirmation is saved behind them.
async function confirmGroup() {
  const group = desk.group;
  $("notice").textContent = "";
  const body = { task_ids: group.items.map((task) => task.id), odd: [...group.odd] };
  const confirmed = body.task_ids.filter((id) => !group.odd.has(id));
  const path = `/v1/review/groups/${encodeURIComponent(group.id)}/resolve`;
  saveBehind(confirmed, path, body, `nhóm "${group.label}" (${confirmed.length} trường)`);
  group.items.forEach((task, index) => {
    if (group.odd.has(task.id)) desk.oddOnes.push({ task, crop: group.crops[index] });
  });
  if (desk.oddOnes.length) return leaveGroup();
  return openGroup();
}

// Back to one task at a time. After a confirmation, the odd ones out open one by one and the
// next group follows them; Esc gives back the groups' tasks held, this one's and the next one's.
async function leaveGroup(release = false) {
  desk.backToGroup = !release && desk.oddOnes.length > 0 && desk.nextGroup !== null;
  if (release) {
    const next = desk.nextGroup ? await desk.nextGroup : null;
    desk.nextGroup = null;
    for (const task of [...desk.group.items, ...(next?.items ?? [])]) {
      await api("POST", `/v1/review/tasks/${task.id}/release`);
    }
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
