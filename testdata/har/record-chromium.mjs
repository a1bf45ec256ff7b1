// Records testdata/har/session.har: a real headless Chromium session
// against a running gateway, exported as HAR 1.2 by chrome-har (the
// library sitespeed.io and browsertime use to turn DevTools Protocol
// events into HAR). Nothing else is needed: Chromium is driven over its
// DevTools WebSocket with Node's own WebSocket.
//
//   npm install --prefix /tmp/har chrome-har@1.3.1
//   legacygate serve --listen 127.0.0.1:18202 &      # a fresh store
//   NODE_PATH=/tmp/har/node_modules node --experimental-websocket \
//     testdata/har/record-chromium.mjs http://127.0.0.1:18202 > testdata/har/session.har
//
// CHROMIUM names the browser binary (default chromium-headless-shell).
//
// One correction is made to chrome-har's output: it turns a JSON request
// body into name/value "params" (losing nesting and types); each entry's
// postData gets the exact text Chromium sent instead, as Chrome's own
// DevTools export writes it.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(join(process.env.NODE_PATH || '.', 'x.js'));
const { harFromMessages } = await import(require.resolve('chrome-har'));

const base = process.argv[2];
if (!base) throw new Error('usage: record-chromium.mjs BASE_URL');

const chrome = spawn(process.env.CHROMIUM || 'chromium-headless-shell', [
  '--headless', '--no-sandbox', '--disable-gpu', '--remote-debugging-port=0',
  `--user-data-dir=${mkdtempSync(join(tmpdir(), 'har-'))}`, 'about:blank'], { stdio: ['ignore', 'ignore', 'pipe'] });
const wsURL = await new Promise((resolve, reject) => {
  let buf = '';
  chrome.stderr.on('data', d => {
    buf += d;
    const m = buf.match(/DevTools listening on (ws:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  chrome.on('exit', c => reject(new Error(`chromium exited ${c}: ${buf}`)));
});
const port = new URL(wsURL).port;
const target = await (await fetch(`http://127.0.0.1:${port}/json/new?about:blank`, { method: 'PUT' })).json();
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise(r => ws.addEventListener('open', r));

let id = 0;
const pending = new Map();
const messages = [];
const postText = new Map();
const finished = [];
ws.addEventListener('message', ev => {
  const msg = JSON.parse(ev.data);
  if (msg.id && pending.has(msg.id)) {
    pending.get(msg.id)(msg);
    pending.delete(msg.id);
    return;
  }
  if (!msg.method) return;
  if (msg.method.startsWith('Page.') || msg.method.startsWith('Network.')) messages.push(msg);
  if (msg.method === 'Network.requestWillBeSent' && msg.params.request.postData !== undefined) {
    postText.set(msg.params.request.url + ' ' + msg.params.requestId, msg.params.request.postData);
  }
  if (msg.method === 'Network.loadingFinished') finished.push(msg.params.requestId);
});
const send = (method, params = {}) => new Promise((resolve, reject) => {
  const n = ++id;
  pending.set(n, m => (m.error ? reject(new Error(method + ': ' + m.error.message)) : resolve(m.result)));
  ws.send(JSON.stringify({ id: n, method, params }));
});

await send('Page.enable');
await send('Network.enable');
await send('Page.navigate', { url: `${base}/api/v1/Lookup/Language` });
await new Promise(r => setTimeout(r, 1000));

// The session: what a web form and a couple of API clients in a page do.
const script = `(async () => {
  const j = {'Content-Type': 'application/json'};
  const steps = [
    ['/Account/IsUserAvailable?username=har-ann@example.com', {}],
    ['/Account/Register', {method: 'POST', headers: j, body: JSON.stringify({Username: 'har-ann@example.com', Email: 'har-ann@example.com', Password: 's3cret!', ConfirmPassword: 's3cret!', Name: 'Ann', PartnerID: 8})}],
    ['/Account/Register', {method: 'POST', headers: j, body: JSON.stringify({Username: 'HAR-ANN@example.com', Email: 'other@example.com', Password: 's3cret!', ConfirmPassword: 's3cret!'})}],
    ['/Account/IsUserAvailable?username=har-ann@example.com', {}],
    ['/Account/Register', {method: 'POST', headers: {Accept: 'application/xml'}, body: new URLSearchParams({Username: 'har-bob@example.com', Email: 'har-bob@example.com', Password: 'hunter22', ConfirmPassword: 'hunter22', Surname: 'Lee & Co'})}],
    ['/Account/Register', {method: 'POST', headers: {Accept: 'application/xml', 'Content-Type': 'application/xml'}, body: '<RegisterBindingModel xmlns="http://schemas.datacontract.org/2004/07/Hub.Server.Models"><Password>x</Password></RegisterBindingModel>'}],
    ['/service/RegisterUser/Customer?format=jsv', {method: 'POST', body: new URLSearchParams({userName: 'har-cy', password: 'p', autoLogin: 'true'})}],
    ['/service/RegisterUser', {method: 'POST', headers: j, body: JSON.stringify({userName: 'har-dee', email: 'har-dee@example.com', password: 'p', role: 'Retailer'})}],
    ['/clientregister', {method: 'POST', headers: j, body: JSON.stringify({EMail: 'har-eve@example.com', Password: 'p', Company: 'Acme'})}],
    ['/api/v1/Account/Register', {method: 'POST', headers: j, body: JSON.stringify({Email: 'not-an-email', Password: 'x'})}],
  ];
  for (const [path, init] of steps) { const r = await fetch(path, init); await r.text(); }
  return steps.length;
})()`;
const r = await send('Runtime.evaluate', { expression: script, awaitPromise: true, returnByValue: true });
if (r.exceptionDetails) throw new Error(JSON.stringify(r.exceptionDetails));
await new Promise(r => setTimeout(r, 500));

// chrome-har takes response bodies from response.body (the DevTools
// Protocol does not carry them in events).
for (const requestId of finished) {
  let body;
  try { body = await send('Network.getResponseBody', { requestId }); } catch { continue; }
  for (const m of messages) {
    if (m.method === 'Network.responseReceived' && m.params.requestId === requestId) {
      m.params.response.body = body.base64Encoded ? body.body : body.body;
      if (body.base64Encoded) m.params.response.encoding = 'base64';
    }
  }
}
const har = harFromMessages(messages, { includeTextFromResponseBody: true });
for (const e of har.log.entries) {
  const key = [...postText.keys()].find(k => k.startsWith(e.request.url + ' ') && k.endsWith(' ' + e._requestId));
  if (key !== undefined) e.request.postData = { mimeType: e.request.postData?.mimeType || '', text: postText.get(key) };
}
process.stdout.write(JSON.stringify(har, null, 2) + '\n');
ws.close();
chrome.kill();
process.exit(0);
