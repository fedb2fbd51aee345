/**
 * firestore.rules on Google's emulator (started with `--rules firestore.rules`): a browser or
 * mobile client, signed in or not, can read and write nothing; the functions' server client
 * (@google-cloud/firestore, which bypasses rules) works.
 *
 * The clients are the emulator's REST API with the tokens Firebase's own SDKs send it: none
 * for a signed-out client, an unsigned JWT (alg "none") for a signed-in user, which is what
 * `@firebase/rules-unit-testing` builds (`mockUserToken`). That is the same request the web SDK
 * makes, without adding the web SDK to a project that has no web client. The same requests
 * against an emulator whose rules allow everything succeed, so a refusal here is the rules'.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createEmulatorClient } from '../../scripts/local-stack/firestore-emulator.js';
import {
  startOfficialFirestoreEmulator,
  type OfficialFirestoreEmulator,
} from '../../scripts/local-stack/official-firestore-emulator.js';

const PROJECT = 'demo-rules';
const RULES = fileURLToPath(new URL('../../firestore.rules', import.meta.url));
const official = inject('firestoreKind') === 'official';

/** A Firebase Auth ID token as the emulator accepts it: unsigned, for `uid` of this project. */
function unsignedIdToken(uid: string, claims: Record<string, unknown> = {}): string {
  const b64 = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const payload = {
    iss: `https://securetoken.google.com/${PROJECT}`,
    aud: PROJECT,
    iat: now,
    exp: now + 3600,
    auth_time: now,
    sub: uid,
    user_id: uid,
    firebase: { sign_in_provider: 'password', identities: {} },
    ...claims,
  };
  return `${b64({ alg: 'none', typ: 'JWT' })}.${b64(payload)}.`;
}

type Client = { name: string; token: string | null };
const CLIENTS: Client[] = [
  { name: 'a signed-out client', token: null },
  {
    name: 'a signed-in user',
    token: unsignedIdToken('can-bo-ba-dinh', { email: 'vanphong@badinh.hanoi.gov.vn', email_verified: true }),
  },
  {
    name: 'a user claiming to be the service account',
    token: unsignedIdToken('functions', { email: 'functions@demo-local.iam.gserviceaccount.com', admin: true }),
  },
];

/** Every kind of access a client SDK has, as REST calls; each returns the HTTP status. */
function accesses(host: string, token: string | null) {
  const base = `http://${host}/v1/projects/${PROJECT}/databases/(default)/documents`;
  const call = async (method: string, url: string, body?: unknown) => {
    const res = await fetch(url, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      ...(body ? { body: JSON.stringify(body) } : {}),
    });
    await res.arrayBuffer();
    return res.status;
  };
  return {
    'read a document': () => call('GET', `${base}/campaigns/hanoi-521-2020/states/so-ket-2020__ubnd-ba-dinh`),
    'list a collection': () => call('GET', `${base}/campaigns/hanoi-521-2020/states`),
    'query a collection': () =>
      call('POST', `${base}:runQuery`, {
        structuredQuery: { from: [{ collectionId: 'states', allDescendants: true }] },
      }),
    'create a document': () =>
      call('POST', `${base}/campaigns/hanoi-521-2020/submissions?documentId=moi`, {
        fields: { x: { integerValue: '1' } },
      }),
    'overwrite a document': () =>
      call('PATCH', `${base}/campaigns/hanoi-521-2020/states/so-ket-2020__ubnd-ba-dinh`, {
        fields: { status: { stringValue: 'ready' } },
      }),
    'delete a document': () => call('DELETE', `${base}/campaigns/hanoi-521-2020/states/so-ket-2020__ubnd-ba-dinh`),
  };
}

async function seed(emulator: OfficialFirestoreEmulator): Promise<void> {
  const admin = createEmulatorClient(emulator.host, PROJECT);
  await admin.doc('campaigns/hanoi-521-2020/states/so-ket-2020__ubnd-ba-dinh').set({ status: 'draft', errors: 2 });
  await admin.terminate();
}

describe.runIf(official)('firestore.rules on Google’s emulator', () => {
  let guarded: OfficialFirestoreEmulator;
  let open: OfficialFirestoreEmulator;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bao-cao-rules-'));
    const allowAll = join(dir, 'allow-all.rules');
    await writeFile(
      allowAll,
      "rules_version = '2';\nservice cloud.firestore { match /databases/{database}/documents { match /{document=**} { allow read, write: if true; } } }\n",
    );
    [guarded, open] = await Promise.all([
      startOfficialFirestoreEmulator({ rules: RULES }),
      startOfficialFirestoreEmulator({ rules: allowAll }),
    ]);
    await Promise.all([seed(guarded), seed(open)]);
  });
  afterAll(async () => {
    await Promise.all([guarded?.stop(), open?.stop()]);
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  for (const client of CLIENTS) {
    it(`${client.name} can read and write nothing`, async () => {
      const results: Record<string, number> = {};
      for (const [what, access] of Object.entries(accesses(guarded.host, client.token))) results[what] = await access();
      expect(results).toEqual(Object.fromEntries(Object.keys(results).map((k) => [k, 403])));
      // Nothing was changed by the attempts.
      const admin = createEmulatorClient(guarded.host, PROJECT);
      expect((await admin.doc('campaigns/hanoi-521-2020/states/so-ket-2020__ubnd-ba-dinh').get()).data()).toEqual({
        status: 'draft',
        errors: 2,
      });
      expect((await admin.doc('campaigns/hanoi-521-2020/submissions/moi').get()).exists).toBe(false);
      await admin.terminate();
    });
  }

  it('the same requests succeed where the rules allow them, so the refusals above are the rules’', async () => {
    const results: Record<string, number> = {};
    for (const [what, access] of Object.entries(accesses(open.host, CLIENTS[1]!.token))) results[what] = await access();
    expect(results).toEqual(Object.fromEntries(Object.keys(results).map((k) => [k, 200])));
  });

  it('the functions’ server client reads and writes whatever the rules say', async () => {
    const admin = createEmulatorClient(guarded.host, PROJECT);
    const ref = admin.doc('campaigns/hanoi-521-2020/submissions/so-ket-2020__ubnd-ba-dinh');
    await ref.set({ versionCount: 1 });
    await admin.runTransaction(async (tx) =>
      tx.update(ref, { versionCount: ((await tx.get(ref)).data()!.versionCount as number) + 1 }),
    );
    expect((await ref.get()).data()).toEqual({ versionCount: 2 });
    expect((await admin.collectionGroup('states').get()).size).toBe(1);
    await ref.delete();
    await admin.terminate();
  });
});
