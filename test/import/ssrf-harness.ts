import { expect } from 'vitest';
import { type TestApp, type TestUser, json, startApp } from '../helpers/app.js';
import { type Canary, startCanary } from '../helpers/net-canary.js';
import { type TestDns, startDnsServer } from '../helpers/net-dns.js';
import { TINY_PNG } from '../helpers/net-png.js';
import { type Upstream, startUpstream } from '../helpers/net-upstream.js';

/**
 * The end-to-end SSRF rig shared by `ssrf-*.test.ts`: a real Intake whose only exempt address is
 * the fixture upstream on 127.0.0.2, the test DNS, and canary listeners on every loopback address
 * a forbidden URL could reach. Every forbidden URL targets a port a canary listens on, so a guard
 * that failed would show up as a recorded connection, not merely as some other error.
 */

/** Names every suite may use (more are added per suite through `dns.set`). */
export const LOOP4 = 'loop4.ssrf.test'; // A 127.0.0.1
export const GOOD = 'good.ssrf.test'; // A 127.0.0.2 (the exempt fixture address)

export interface Hit {
  readonly canary: string;
  readonly from: string;
}

export interface ImportAnswer {
  readonly status: number;
  readonly body: any;
}

export interface Harness {
  readonly dns: TestDns;
  readonly upstream: Upstream;
  /** The canary port: listeners on 127.0.0.1, ::1, 127.0.0.3 and 127.0.0.2 all hold it. */
  readonly P: number;
  /** The upstream's port (on 127.0.0.2); canaries hold it on 127.0.0.1, ::1 and 127.0.0.3. */
  readonly U: number;
  readonly canaries: readonly Canary[];
  /** Ports allowed: '*'. */
  readonly app: TestApp;
  /** Ports allowed: 80, 443 and the upstream's port only (started with `portsApp`). */
  readonly portsApp: TestApp | undefined;
  /** The fixture picture at `upstream.url('/file/x.png')`. */
  readonly good: string;
  /** Every connection any canary accepted, in order. */
  hits(): Hit[];
  importUrls(urls: unknown[], on?: 'main' | 'ports'): Promise<ImportAnswer>;
  /**
   * Imports one URL and asserts it is skipped with `code`, nothing stored, no canary touched and
   * exactly `upstreamRequests` requests (redirect hops) served by the upstream. One assertion, so
   * a failure shows all of it at once.
   */
  refuse(url: string, code: string, options?: { on?: 'main' | 'ports'; upstreamRequests?: number }): Promise<any>;
  /** The data dir holds exactly the blobs of stored media: no temporary or partial file. */
  expectCleanDataDir(on?: 'main' | 'ports'): Promise<void>;
  close(): Promise<void>;
}

const P_HOSTS = ['127.0.0.1', '::1', '127.0.0.3', '127.0.0.2'];
const U_HOSTS = ['127.0.0.1', '::1', '127.0.0.3'];

/** Canaries on `hosts`, all on one port: the given one, or a random one tried until all can take it. */
async function canariesOnOnePort(hosts: readonly string[], port = 0): Promise<Canary[]> {
  for (let attempt = 0; attempt < 10; attempt++) {
    const started: Canary[] = [];
    try {
      for (const host of hosts) started.push(await startCanary(host, started[0]?.port ?? port));
      return started;
    } catch (error) {
      await Promise.all(started.map((c) => c.close()));
      if (port !== 0) throw error;
    }
  }
  throw new Error(`no port free on all of ${hosts.join(', ')}`);
}

export async function startHarness(options: { portsApp?: boolean; fixedPortCanaries?: readonly number[] } = {}): Promise<Harness> {
  const dns = await startDnsServer();
  dns.set(LOOP4, { a: ['127.0.0.1'] });
  dns.set(GOOD, { a: ['127.0.0.2'] });

  const pCanaries = await canariesOnOnePort(P_HOSTS);
  let upstream: Upstream | undefined;
  let uCanaries: Canary[] = [];
  for (let attempt = 0; !upstream; attempt++) {
    const candidate = await startUpstream({ host: '127.0.0.2' });
    try {
      uCanaries = await canariesOnOnePort(U_HOSTS, candidate.port);
      upstream = candidate;
    } catch (error) {
      await candidate.close();
      if (attempt === 9) throw error;
    }
  }
  // Well-known ports on the exempt address: there only the port policy stands in the way.
  const fixed: Canary[] = [];
  for (const port of options.fixedPortCanaries ?? []) {
    try {
      fixed.push(await startCanary('127.0.0.2', port));
    } catch {
      // Taken (or not permitted): the row still asserts its code, just without this listener.
    }
  }
  const canaries = [...pCanaries, ...uCanaries, ...fixed];
  upstream.file('x.png', TINY_PNG, { contentType: 'image/png' });

  const env = {
    INTAKE_DNS_SERVERS: dns.server,
    INTAKE_FETCH_ALLOWED_NETWORKS: '127.0.0.2/32',
    INTAKE_RATE_LIMIT_PER_MINUTE: '100000',
    // Bounds only: a guard that failed towards an off-box address must not stall the suite.
    INTAKE_FETCH_IDLE_TIMEOUT_SECONDS: '5',
    INTAKE_FETCH_TIMEOUT_SECONDS: '20',
  };
  const U = upstream.port;
  const app = await startApp({ ...env, INTAKE_FETCH_ALLOWED_PORTS: '*' });
  const portsApp = options.portsApp ? await startApp({ ...env, INTAKE_FETCH_ALLOWED_PORTS: `80,443,${U}` }) : undefined;
  const users = new Map<TestApp, TestUser>([[app, await app.user()]]);
  if (portsApp) users.set(portsApp, await portsApp.user());
  const pick = (on: 'main' | 'ports' = 'main'): TestApp => {
    const chosen = on === 'main' ? app : portsApp;
    if (!chosen) throw new Error('start the harness with portsApp: true');
    return chosen;
  };
  const fixture = upstream;

  const hits = (): Hit[] => canaries.flatMap((c) => c.connections.map((conn) => ({ canary: c.address, from: conn.remoteAddress })));

  const importUrls = async (urls: unknown[], on?: 'main' | 'ports'): Promise<ImportAnswer> => {
    const target = pick(on);
    const user = users.get(target)!;
    const res = await target.api(user.token, '/api/v1/media/upload/url', json({ workspace_id: user.workspaceId, urls }));
    const text = await res.text();
    let body: any = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Left as text: the status assertion shows it.
    }
    return { status: res.status, body };
  };

  return {
    dns,
    upstream,
    P: pCanaries[0]!.port,
    U,
    canaries,
    app,
    portsApp,
    good: upstream.url('/file/x.png'),
    hits,
    importUrls,
    async refuse(url, code, { on, upstreamRequests = 0 } = {}) {
      const before = fixture.requests.length;
      const { status, body } = await importUrls([url], on);
      expect({
        status,
        media: body?.media,
        count_stored: body?.count_stored,
        skipped: body?.skipped?.map((s: any) => ({ url: s.url, code: s.code, message: typeof s.message })),
        canaryHits: hits(),
        upstreamRequests: fixture.requests.length - before,
      }).toEqual({
        status: 200,
        media: [],
        count_stored: 0,
        skipped: [{ url, code, message: 'string' }],
        canaryHits: [],
        upstreamRequests,
      });
      return body.skipped[0];
    },
    async expectCleanDataDir(on) {
      const target = pick(on);
      const blobs = await target.services.db.selectFrom('blobs').select('storage_key').execute();
      const files = await target.storedFiles();
      expect(files.filter((f) => f.startsWith('tmp/') || f.endsWith('.part'))).toEqual([]);
      expect(files).toEqual(blobs.map((b) => b.storage_key).sort());
    },
    async close() {
      await portsApp?.close();
      await app.close();
      await fixture.close();
      await Promise.all(canaries.map((c) => c.close()));
      await dns.close();
    },
  };
}
