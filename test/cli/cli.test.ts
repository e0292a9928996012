import { createHash } from 'node:crypto';
import http from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestApp, freePort, postgresUrl, startApp } from '../helpers/app.js';
import {
  type CliSite,
  ServeProcess,
  connectionRefused,
  ensureBuilt,
  killChildren,
  makeSite,
  printedKey,
  runCli,
  runJson,
} from '../helpers/ops-cli.js';
import { type JsonBody, eventually, readJson } from '../helpers/ops-util.js';

const sites: CliSite[] = [];
const servers: ServeProcess[] = [];
const apps: TestApp[] = [];

async function site(): Promise<CliSite> {
  const made = await makeSite();
  sites.push(made);
  return made;
}

async function serve(on: CliSite, env: Record<string, string> = {}, flags: string[] = []): Promise<ServeProcess> {
  const server = ServeProcess.start(await freePort(), { ...on.env, ...env }, flags);
  servers.push(server);
  return server;
}

/** An in-process server on the database the CLI wrote to. */
async function appOn(on: CliSite): Promise<TestApp> {
  const shared: Record<string, string> = postgresUrl
    ? { DATABASE_URL: postgresUrl, INTAKE_DATABASE_SCHEMA: on.env.INTAKE_DATABASE_SCHEMA ?? '' }
    : { DATABASE_URL: `sqlite:${on.dataDir}/intake.sqlite` };
  const app = await startApp(shared);
  apps.push(app);
  return app;
}

function expectNoStack(text: string): void {
  expect(text).not.toMatch(/\n\s+at\s/);
  expect(text).not.toMatch(/"stack"|node:internal|\.js:\d+:\d+/);
}

beforeAll(async () => {
  await ensureBuilt();
}, 180_000);

afterAll(async () => {
  for (const server of servers) await server.kill();
  await killChildren();
  for (const app of apps) await app.close();
  for (const made of sites) await made.cleanup();
});

describe('operator commands', () => {
  let here: CliSite;
  let app: TestApp;
  const alice = 'alice@example.test';
  const victor = 'victor@example.test';
  let workspaceId = 0;
  let key: JsonBody;

  beforeAll(async () => {
    here = await site();
  });

  it('migrate --json applies the migrations, then has nothing to apply', async () => {
    const first = await runJson<{ applied: string[] }>(['migrate'], here.env);
    expect(first.applied.length).toBeGreaterThan(0);
    expect(first.applied).toContain('0001_initial');
    const again = await runJson<{ applied: string[] }>(['migrate'], here.env);
    expect(again).toEqual({ applied: [] });
    // Without --json it says so in words.
    const human = await runCli(['migrate'], here.env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/up to date/i);
  });

  it('users create, workspaces create and members add', async () => {
    const user = await runJson<JsonBody>(['users', 'create', alice], here.env);
    expect(user).toMatchObject({ id: expect.any(Number), email: alice });
    const ws = await runJson<JsonBody>(['workspaces', 'create', 'Team', '--owner', alice], here.env);
    expect(ws).toMatchObject({ id: expect.any(Number), name: 'Team' });
    workspaceId = ws.id as number;
    await runJson(['users', 'create', victor], here.env);
    const member = await runJson<JsonBody>(['members', 'add', String(workspaceId), victor, '--role', 'viewer'], here.env);
    expect(member).toMatchObject({ workspace_id: workspaceId, email: victor, role: 'viewer' });
  });

  it('keys create prints a key that authenticates with its permissions', async () => {
    key = await runJson<JsonBody>(['keys', 'create', alice, '--permissions', 'media:read', '--expires-in-days', '3'], here.env);
    expect(key).toMatchObject({ id: expect.any(Number), permissions: ['media:read'] });
    expect(key.key).toMatch(new RegExp(`^${key.id}\\|[A-Za-z0-9]{40,}$`));
    const expires = Date.parse(key.expires_at as string);
    expect(expires).toBeGreaterThan(Date.now() + 2 * 86_400_000);
    expect(expires).toBeLessThan(Date.now() + 4 * 86_400_000);

    app = await appOn(here);
    const media = await app.api(key.key as string, `/api/v1/media?workspace_id=${workspaceId}`);
    expect(media.status).toBe(200);
    expect((await readJson(media)).data).toEqual([]);
    // Only media:read: the workspace list needs workspaces:read.
    const workspaces = await app.api(key.key as string, '/api/v1/workspaces');
    expect(workspaces.status).toBe(403);

    // The viewer added by the CLI sees the workspace with that role.
    const viewerKey = await runJson<JsonBody>(['keys', 'create', victor], here.env);
    const seen = await readJson(await app.api(viewerKey.key as string, '/api/v1/workspaces'));
    expect(seen).toEqual([{ id: workspaceId, name: 'Team', role: 'viewer' }]);
  });

  it('keys list shows the keys but never a secret or its hash', async () => {
    const result = await runCli(['keys', 'list', alice, '--json'], here.env);
    expect(result.code).toBe(0);
    const list = JSON.parse(result.stdout) as JsonBody[];
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: key.id, permissions: ['media:read'], revoked_at: null, expires_at: key.expires_at });
    const secret = (key.key as string).split('|')[1] ?? '';
    const hash = createHash('sha256').update(secret).digest('hex');
    for (const output of [result.stdout, (await runCli(['keys', 'list', alice], here.env)).stdout]) {
      expect(output).not.toContain(secret);
      expect(output).not.toContain(hash);
      expect(output.toLowerCase()).not.toContain(hash.slice(0, 16));
      expect(output).not.toMatch(/secret|hash/i);
    }
  });

  it('keys revoke stops the key at once', async () => {
    const result = await runJson<JsonBody>(['keys', 'revoke', String(key.id)], here.env);
    expect(result).toEqual({ id: key.id, revoked: true });
    const res = await app.api(key.key as string, `/api/v1/media?workspace_id=${workspaceId}`);
    expect(res.status).toBe(401);
    expect(await readJson(res)).toEqual({ message: 'Unauthenticated.' });
    const list = await runJson<JsonBody[]>(['keys', 'list', alice], here.env);
    expect(list[0]?.revoked_at).toEqual(expect.any(String));
  });

  describe('mistakes', () => {
    it('an unknown user: exit 1, one line on stderr, no stack', async () => {
      for (const args of [
        ['keys', 'create', 'nobody@example.test'],
        ['keys', 'list', 'nobody@example.test'],
        ['workspaces', 'create', 'X', '--owner', 'nobody@example.test'],
        ['members', 'add', String(workspaceId), 'nobody@example.test', '--role', 'editor'],
      ]) {
        const result = await runCli(args, here.env);
        expect(result.code, args.join(' ')).toBe(1);
        expect(result.stderr.trim().split('\n'), result.stderr).toHaveLength(1);
        expect(result.stderr).toContain('nobody@example.test');
        expectNoStack(result.stderr);
        expect(result.stdout).toBe('');
      }
    });

    it('a bad role: non-zero exit naming the choices', async () => {
      const result = await runCli(['members', 'add', String(workspaceId), victor, '--role', 'superuser'], here.env);
      expect(result.code).not.toBe(0);
      expect(result.stderr).toMatch(/viewer/);
      expectNoStack(result.stderr);
      // Victor is still a viewer.
      const viewerKey = await runJson<JsonBody>(['keys', 'create', victor], here.env);
      const seen = await readJson(await app.api(viewerKey.key as string, '/api/v1/workspaces'));
      expect(seen).toEqual([{ id: workspaceId, name: 'Team', role: 'viewer' }]);
    });

    it('bad --permissions: exit 1 naming the unknown permission, no key made', async () => {
      const before = await runJson<JsonBody[]>(['keys', 'list', alice], here.env);
      const result = await runCli(['keys', 'create', alice, '--permissions', 'media:read,media:fly'], here.env);
      expect(result.code).toBe(1);
      expect(result.stderr).toContain('media:fly');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expectNoStack(result.stderr);
      expect(result.stdout).toBe('');
      expect(await runJson<JsonBody[]>(['keys', 'list', alice], here.env)).toHaveLength(before.length);
    });

    it('other mistakes exit 1 without a stack', async () => {
      for (const args of [
        ['keys', 'create', alice, '--expires-in-days', '-1'],
        ['keys', 'create', alice, '--expires-in-days', 'soon'],
        ['keys', 'revoke', '987654'],
        ['keys', 'revoke', 'abc'],
        ['users', 'create', alice],
        ['users', 'create', 'not-an-email'],
        ['members', 'add', '987654', victor, '--role', 'editor'],
      ]) {
        const result = await runCli(args, here.env);
        expect(result.code, `${args.join(' ')}: ${result.stderr}`).toBe(1);
        expect(result.stderr.length, `${args.join(' ')}; stdout: ${result.stdout}`).toBeGreaterThan(0);
        expectNoStack(result.stderr);
      }
    });
  });
});

describe('serve', () => {
  it('on an empty database applies the migrations, creates an owner and prints a key once', async () => {
    const fresh = await site();
    const first = await serve(fresh);
    await first.ready();
    const token = printedKey(first.stdout);
    expect(token, first.stdout).toBeDefined();
    const res = await fetch(`${first.url}/api/v1/workspaces`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await readJson(res)).toEqual([{ id: expect.any(Number), name: 'Default', role: 'owner' }]);
    expect(await first.stop()).toEqual({ code: 0, signal: null });
    // serve applied every migration before it listened: nothing is left for `migrate`.
    expect(await runJson(['migrate'], fresh.env)).toEqual({ applied: [] });

    const second = await serve(fresh);
    await second.ready();
    expect(printedKey(second.stdout), second.stdout).toBeUndefined();
    expect(second.stdout).not.toMatch(/shown once/i);
    // The first key still works on the restarted server.
    const again = await fetch(`${second.url}/api/v1/workspaces`, { headers: { authorization: `Bearer ${token}` } });
    expect(again.status).toBe(200);
    expect(await second.stop()).toEqual({ code: 0, signal: null });
  });

  it('with --json announces the first owner and key as one JSON line', async () => {
    const fresh = await site();
    const server = await serve(fresh, { LOG_LEVEL: 'silent' }, ['--json']);
    await server.ready();
    const announcement = JSON.parse(server.stdout.trim().split('\n')[0] ?? '') as { email: string; workspace_id: number; key: string };
    expect(announcement).toEqual({ email: 'owner@localhost', workspace_id: expect.any(Number), key: expect.stringMatching(/^\d+\|\w{40,}$/) });
    const res = await fetch(`${server.url}/api/v1/workspaces`, { headers: { authorization: `Bearer ${announcement.key}` } });
    expect(await readJson(res)).toEqual([{ id: announcement.workspace_id, name: 'Default', role: 'owner' }]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });

  it('finishes an upload in flight on SIGTERM, refuses new connections, and exits 0', async () => {
    const fresh = await site();
    // A grace period longer than the test's timeout: a shutdown that sits it out fails the test.
    const server = await serve(fresh, { INTAKE_SHUTDOWN_GRACE_SECONDS: '60' });
    await server.ready();
    const token = printedKey(server.stdout) ?? '';
    const workspaces = await readJson(await fetch(`${server.url}/api/v1/workspaces`, { headers: { authorization: `Bearer ${token}` } }));
    const workspaceId = workspaces[0].id as number;

    // About 1 MB of PNG: random pixels do not compress.
    const width = 600;
    const height = 560;
    const pixels = Buffer.alloc(width * height * 3);
    for (let i = 0; i < pixels.length; i += 1) pixels[i] = (i * 2654435761) >>> 24;
    const png = await sharp(pixels, { raw: { width, height, channels: 3 } }).png({ compressionLevel: 0 }).toBuffer();
    expect(png.length).toBeGreaterThan(900_000);

    const boundary = `----intake${Date.now()}`;
    const head = Buffer.from(
      `--${boundary}\r\nContent-Disposition: form-data; name="workspace_id"\r\n\r\n${workspaceId}\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="slow.png"\r\nContent-Type: image/png\r\n\r\n`,
    );
    const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
    const agent = new http.Agent({ keepAlive: true });
    try {
      const request = http.request({
        host: '127.0.0.1',
        port: server.port,
        method: 'POST',
        path: '/api/v1/media/upload/file',
        agent,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': `multipart/form-data; boundary=${boundary}`,
          'content-length': String(head.length + png.length + tail.length),
        },
      });
      const answered = new Promise<{ status: number; body: string }>((resolve, reject) => {
        request.once('response', (res) => {
          let body = '';
          res.setEncoding('utf8').on('data', (chunk: string) => (body += chunk));
          res.once('end', () => resolve({ status: res.statusCode ?? 0, body }));
          res.once('error', reject);
        });
        request.once('error', reject);
      });
      const half = Math.floor(png.length / 2);
      request.write(head);
      request.write(png.subarray(0, half));
      await sleep(300);

      server.child.kill('SIGTERM');
      // New connections are refused while the upload is still open.
      await eventually(async () => ((await connectionRefused(server.port)) ? true : undefined));

      request.end(Buffer.concat([png.subarray(half), tail]));
      const { status, body } = await answered;
      expect(status, body).toBe(201);
      expect(JSON.parse(body).media).toMatchObject({ name: 'slow.png', mime_type: 'image/png', size: png.length, width, height });

      expect(await server.exited).toEqual({ code: 0, signal: null });
      expect(server.stdout).not.toMatch(/grace period over/);
      expect(await connectionRefused(server.port)).toBe(true);
    } finally {
      agent.destroy();
    }

    // The upload was committed: a new server on the same data dir lists it.
    const after = await serve(fresh);
    await after.ready();
    const list = await readJson(await fetch(`${after.url}/api/v1/media`, { headers: { authorization: `Bearer ${token}` } }));
    expect(list.data.map((m: JsonBody) => m.name)).toEqual(['slow.png']);
    await after.stop();
  });

  it('refuses an invalid configuration, naming every bad variable', async () => {
    const fresh = await site();
    const result = await runCli(['serve'], { ...fresh.env, PORT: 'abc', INTAKE_MAX_FILE_BYTES: '-1' });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('PORT');
    expect(result.stderr).toContain('INTAKE_MAX_FILE_BYTES');
    expectNoStack(result.stderr);
    expect(printedKey(result.stdout)).toBeUndefined();
  });
});

describe('resolvers', () => {
  it('list shows every resolver, which are off, and which keys are set or required', async () => {
    const here = await site();
    const env = { ...here.env, INTAKE_RESOLVERS_DISABLED: 'reddit', INTAKE_UNSPLASH_ACCESS_KEY: 'k-123' };
    const rows = await runJson<Array<{ id: string; state: string; key: { variable: string; set: boolean; required: boolean } | null }>>(['resolvers', 'list'], env);
    const byId = new Map(rows.map((row) => [row.id, row]));
    expect(byId.get('reddit')).toMatchObject({ state: 'off' });
    expect(byId.get('unsplash')).toMatchObject({ state: 'on', key: { variable: 'INTAKE_UNSPLASH_ACCESS_KEY', set: true, required: false } });
    expect(byId.get('pixabay')).toMatchObject({ state: 'needs key', key: { variable: 'INTAKE_PIXABAY_API_KEY', set: false, required: true } });
    expect(byId.get('bluesky')).toMatchObject({ state: 'on', key: null });
    const human = await runCli(['resolvers', 'list'], env);
    expect(human.code).toBe(0);
    expect(human.stdout).toMatch(/^reddit\s+off/m);
    // The key's value is never printed.
    expect(human.stdout + JSON.stringify(rows)).not.toContain('k-123');
  });

  it('check refuses a resolver that does not exist, without a stack', async () => {
    const here = await site();
    const result = await runCli(['resolvers', 'check', 'myspace'], here.env);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/Unknown resolver: myspace/);
    expectNoStack(result.stderr);
  });
});
