// Acceptance test: the real ServiceStack client (@servicestack/client,
// pinned in package.json) against a running legacygate. acceptance_test.go
// starts the gateway and runs this file with GATEWAY_URL, PARTNER_USER and
// PARTNER_PASS set; run it by hand the same way against any gateway.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { JsonServiceClient } from '@servicestack/client';

const base = process.env.GATEWAY_URL;
const partner = [process.env.PARTNER_USER, process.env.PARTNER_PASS];
const run = process.env.RUN_ID ?? String(Date.now());

// DTOs as ServiceStack's "Add ServiceStack Reference" generates them.
class ClientRegister {
  constructor(init) { Object.assign(this, init); }
  getTypeName() { return 'ClientRegister'; }
  getMethod() { return 'POST'; }
  createResponse() { return {}; }
}
class RegisterUser {
  constructor(init) { Object.assign(this, init); }
  getTypeName() { return 'RegisterUser'; }
  getMethod() { return 'POST'; }
  createResponse() { return {}; }
}

function partnerClient() {
  const c = new JsonServiceClient(base);
  c.setCredentials(...partner);
  return c;
}

const client = (email) => new ClientRegister({
  EMail: email, FirstName: 'Cy', LastName: 'Client', Password: 'client-pass',
  ConfirmPassword: 'client-pass', Company: 'Acme', PartnerUserID: 42, Roles: ['Client'],
});

test('ClientRegister on the custom route with Basic auth', async () => {
  const email = `custom-${run}@example.com`;
  const r = await partnerClient().postToUrl('/clientregister', client(email));
  assert.equal(r.UserName, email);
  assert.equal(r.Email, email);
  assert.equal(r.Company, 'Acme');
  assert.equal(r.RefId, 42);
  assert.deepEqual(r.Roles, ['Client']);
  assert.match(r.CreatedDate, /^\/Date\(\d+\)\/$/);
  for (const secret of ['Salt', 'PasswordHash', 'DigestHa1Hash', 'Password']) {
    assert.equal(secret in r, false, `${secret} must never be sent`);
  }
});

test('ClientRegister on the predefined routes: /api (default) and /json/reply', async () => {
  const a = await partnerClient().post(client(`api-${run}@example.com`));
  assert.equal(a.UserName, `api-${run}@example.com`);
  const legacy = partnerClient();
  legacy.basePath = null; // legacy-era clients: /json/reply/{Operation}
  const b = await legacy.post(client(`reply-${run}@example.com`));
  assert.equal(b.UserName, `reply-${run}@example.com`);
});

test('a duplicate surfaces as a ResponseStatus error in the client', async () => {
  const email = `dup-${run}@example.com`;
  await partnerClient().post(client(email));
  await assert.rejects(partnerClient().post(client(email)), (e) => {
    assert.equal(e.responseStatus.errorCode, 'AlreadyExists');
    assert.equal(e.responseStatus.message, 'Username already exists');
    assert.equal(e.responseStatus.errors[0].fieldName, 'UserName');
    return true;
  });
});

test('validation errors come back per field', async () => {
  const res = await partnerClient().api(new ClientRegister({ EMail: `v-${run}@example.com`, Password: 'p' }));
  assert.equal(res.succeeded, false);
  assert.equal(res.errorCode, 'NotEmpty');
  assert.equal(res.fieldError('company').message, "'Company' must not be empty.");
});

test('no credentials: 401', async () => {
  let status = 0;
  const c = new JsonServiceClient(base);
  c.exceptionFilter = (res) => { status = res.status; };
  await assert.rejects(c.postToUrl('/clientregister', client(`anon-${run}@example.com`)), (e) => {
    assert.equal(e.responseStatus.errorCode, '401');
    return true;
  });
  assert.equal(status, 401);
});

test('signed in without the Partner role: 403 Invalid Role', async () => {
  const c = new JsonServiceClient(base);
  c.setCredentials(process.env.PLAIN_USER, process.env.PLAIN_PASS);
  await assert.rejects(c.postToUrl('/clientregister', client(`norole-${run}@example.com`)), (e) => {
    assert.equal(e.responseStatus.errorCode, '403');
    assert.equal(e.responseStatus.message, 'Invalid Role');
    return true;
  });
});

test('EMUN1 RegisterUser with a role in the path, camelCase, under /service', async () => {
  const c = new JsonServiceClient(`${base}/service`);
  const r = await c.postToUrl(`${base}/service/RegisterUser/Customer`, new RegisterUser({
    userName: `emu-${run}`, email: `emu-${run}@example.com`, password: 'p', confirmPassword: 'p',
    autoLogin: true, continue: '/welcome',
  }));
  assert.match(r.userId, /^\d+$/);
  assert.equal(r.userName, `emu-${run}`);
  assert.equal(r.referrerUrl, '/welcome');
  assert.ok(r.sessionId, 'autoLogin returns the session id');
  assert.equal(c.cookies['ss-id']?.value, r.sessionId, 'and sets it as ss-id');
  const p = await new JsonServiceClient(`${base}/service`).post(new RegisterUser({ userName: `emu2-${run}`, password: 'p', role: 'SalesRep' }));
  assert.equal(p.userName, `emu2-${run}`);
  await assert.rejects(c.postToUrl(`${base}/service/RegisterUser/Customer`, new RegisterUser({ userName: `emu-${run}`, password: 'p' })),
    (e) => e.responseStatus.errorCode === 'AlreadyExists');
});
