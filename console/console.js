// The operators' console (docs/on-call/console.md): GET /v1/status every 5 s, and the admin
// routes (overrides, hold release) behind a confirmation step. The admin key lives in this tab's
// sessionStorage only and goes out as the x-api-key header. Every value from the API is inserted
// with textContent, never as HTML; the page's Content-Security-Policy forbids inline script.
'use strict';

(() => {
  const keyStorage = 'transfer-gate.adminKey';
  const refreshMs = 5000;
  // The API's root: the page is served at <root>console (behind API Gateway, <root> ends in the stage).
  const apiRoot = new URL('.', window.location.href);
  const byId = (id) => document.getElementById(id);
  let timer;

  function adminKey() {
    return window.sessionStorage.getItem(keyStorage);
  }

  async function call(method, path, body) {
    const headers = { 'x-api-key': adminKey() ?? '' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(new URL(path, apiRoot), { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: 'no-store' });
    const text = await response.text();
    return { status: response.status, text, json: parseJson(text) };
  }

  function parseJson(text) {
    try {
      return text ? JSON.parse(text) : undefined;
    } catch {
      return undefined;
    }
  }

  // Elements, text only.
  function element(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) node.textContent = String(text);
    if (className) node.className = className;
    return node;
  }

  function row(cells) {
    const tr = element('tr');
    for (const cell of cells) tr.append(cell instanceof Node ? cell : element('td', cell));
    return tr;
  }

  function actionButton(label, onClick) {
    const button = element('button', label);
    button.type = 'button';
    button.addEventListener('click', onClick);
    return button;
  }

  function localTime(iso) {
    return iso ? new Date(iso).toLocaleString() : '';
  }

  function seconds(ms) {
    return `${Math.round(ms / 1000)} s ago`;
  }

  // The queues table.
  function hoursText(queue) {
    if (queue.open) return queue.closesAt ? `open, closes ${localTime(queue.closesAt)}` : 'open';
    const opens = queue.opensAt ? `, opens ${localTime(queue.opensAt)}` : '';
    return `closed by ${queue.closedBy}${opens}`;
  }

  function answerText(queue) {
    // A queue answered from a shared read (Aircall) has no count of its own until a check projects it.
    if (!queue.answer) return queue.reading ? 'see its checks (shared read)' : 'not read yet';
    return `${queue.answer.canTransfer ? 'yes' : 'no'} (${queue.answer.reason})`;
  }

  function agentsText(queue) {
    const reading = queue.reading;
    if (!reading) return '';
    if (reading.availableAgents === null) return `shared read ${reading.sharedRead ?? ''}`;
    return `${reading.availableAgents} free / min ${queue.minAvailable}`;
  }

  function failureText(queue) {
    const failure = queue.failure;
    if (!failure) return '';
    return `${failure.vendorError} at ${localTime(failure.at)} (x${failure.streak}), next try ${localTime(failure.retryAt)}`;
  }

  function overrideText(queue) {
    const override = queue.override;
    if (!override) return '';
    const until = override.until ? `until ${localTime(override.until)}` : 'until ended';
    const note = override.note ? `: ${override.note}` : '';
    return `${override.state} ${until} by ${override.setBy}${note}`;
  }

  function rowClass(queue) {
    const classes = [];
    if (!queue.open) classes.push('closed');
    if (queue.failure) classes.push('failing');
    if (queue.answer && !queue.answer.canTransfer) classes.push('says-no');
    return classes.join(' ');
  }

  function queueActions(queue) {
    const td = element('td', undefined, 'actions');
    td.append(actionButton('Close', () => confirmOverride(queue.queue, 'closed')));
    td.append(actionButton('Open', () => confirmOverride(queue.queue, 'open')));
    if (queue.override) td.append(actionButton('End override', () => confirmEndOverride(queue.queue)));
    return td;
  }

  function queueRow(queue) {
    const holds = queue.holdMs > 0 ? String(queue.holds.count) : 'off';
    const tr = row([
      queue.queue,
      queue.vendor,
      hoursText(queue),
      answerText(queue),
      agentsText(queue),
      queue.reading ? seconds(queue.reading.ageMs) : '',
      failureText(queue),
      holds,
      overrideText(queue),
      queueActions(queue),
    ]);
    tr.className = rowClass(queue);
    tr.dataset.queue = queue.queue;
    return tr;
  }

  function holdRow(hold) {
    const release = element('td', undefined, 'actions');
    release.append(actionButton('Release', () => confirmRelease(hold)));
    return row([hold.queue, hold.seller, hold.callerId, localTime(hold.expiresAt), release]);
  }

  function sellerRow(seller) {
    const counted = (value) => (value === null ? 'no limit' : value);
    return row([seller.seller, seller.holdsStanding, counted(seller.transfersThisHour), counted(seller.transfersToday)]);
  }

  function fill(tableId, rows) {
    byId(tableId)
      .querySelector('tbody')
      .replaceChildren(...rows);
  }

  function render(status) {
    fill('queues', status.queues.map(queueRow));
    fill('holds', status.queues.flatMap((queue) => queue.holds.list).map(holdRow));
    fill('sellers', status.sellers.map(sellerRow));
    byId('updated').textContent = `updated ${localTime(status.generatedAt)}`;
  }

  function showError(message) {
    const error = byId('error');
    error.textContent = message;
    error.hidden = !message;
  }

  async function refresh() {
    if (!adminKey()) return;
    try {
      const answer = await call('GET', 'v1/status');
      if (answer.status !== 200) return showError(`status: ${answer.status} ${answer.json?.error ?? ''} ${answer.json?.message ?? ''}`);
      showError('');
      render(answer.json);
    } catch (error) {
      showError(`status: ${error.message}`);
    }
  }

  // Actions, each after a confirmation in the dialog.
  const dialog = byId('confirm');
  let pending;

  function ask(title, text, withOverrideFields, action) {
    byId('confirm-title').textContent = title;
    byId('confirm-text').textContent = text;
    byId('override-fields').hidden = !withOverrideFields;
    byId('until').value = '';
    byId('note').value = '';
    pending = action;
    dialog.showModal();
  }

  function confirmOverride(queueId, state) {
    const verb = state === 'closed' ? 'Close' : 'Open';
    const text = state === 'closed' ? 'Callers will hear "no" (closed) until it ends.' : 'The schedule is ignored until it ends; agents are still checked.';
    ask(`${verb} queue ${queueId}?`, text, true, () => {
      const body = { state };
      const until = byId('until').value;
      const note = byId('note').value;
      if (until) body.until = new Date(until).toISOString();
      if (note) body.note = note;
      return call('PUT', `v1/queues/${encodeURIComponent(queueId)}/override`, body);
    });
  }

  function confirmEndOverride(queueId) {
    ask(`End the override of ${queueId}?`, 'The queue follows its schedule again.', false, () =>
      call('DELETE', `v1/queues/${encodeURIComponent(queueId)}/override`),
    );
  }

  function confirmRelease(hold) {
    ask(`Release the hold for ${hold.callerId}?`, `On ${hold.queue}, placed by ${hold.seller}: the agent is free for other calls.`, false, () =>
      call('DELETE', `v1/queues/${encodeURIComponent(hold.queue)}/holds/${encodeURIComponent(hold.callerId)}`),
    );
  }

  function showResult(title, answer) {
    byId('result').hidden = false;
    byId('result-summary').textContent = `${title}: HTTP ${answer.status}`;
    byId('result-body').textContent = answer.json === undefined ? answer.text : JSON.stringify(answer.json, null, 2);
  }

  async function runPending(event) {
    event.preventDefault();
    const action = pending;
    const title = byId('confirm-title').textContent;
    pending = undefined;
    dialog.close();
    if (!action) return;
    try {
      showResult(title, await action());
    } catch (error) {
      showResult(title, { status: 0, text: error.message });
    }
    await refresh();
  }

  // The key.
  function useKey(key) {
    if (key) window.sessionStorage.setItem(keyStorage, key);
    else window.sessionStorage.removeItem(keyStorage);
    byId('key-form').hidden = Boolean(key);
    byId('forget-key').hidden = !key;
    window.clearInterval(timer);
    if (!key) return;
    timer = window.setInterval(refresh, refreshMs);
    void refresh();
  }

  byId('key-form').addEventListener('submit', (event) => {
    event.preventDefault();
    const input = byId('key-input');
    const key = input.value.trim();
    input.value = '';
    useKey(key);
  });
  byId('forget-key').addEventListener('click', () => {
    useKey('');
    fill('queues', []);
    fill('holds', []);
    fill('sellers', []);
  });
  byId('confirm-form').addEventListener('submit', runPending);
  byId('confirm-cancel').addEventListener('click', () => {
    pending = undefined;
    dialog.close();
  });
  useKey(adminKey());
})();
