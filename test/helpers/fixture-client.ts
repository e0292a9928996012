import { afterAll, beforeAll } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { OutboundClient } from '../../src/net/http-client.js';
import { type FixtureWeb, startFixtureWeb } from './fixture-web.js';

/** The fixture web and an outbound client that reaches it, for tests below the HTTP API. */
export interface FixtureClient {
  readonly web: FixtureWeb;
  readonly client: OutboundClient;
}

/**
 * Starts the fixture web and a client configured like the app's (DNS, CA, allowed network)
 * before the file's tests, and closes both after. `anyHost`: every name is the fixture web.
 */
export function useFixtureClient(options: { anyHost?: boolean } = {}): FixtureClient {
  let started: FixtureClient | undefined;
  beforeAll(async () => {
    const web = await startFixtureWeb();
    const client = new OutboundClient(loadConfig({ ...web.env }).fetch, options.anyHost ? web.anyHostResolver : web.hostResolver);
    started = { web, client };
  });
  afterAll(async () => {
    await started?.client.close();
    await started?.web.close();
  });
  const get = (): FixtureClient => {
    if (!started) throw new Error('the fixture web starts in beforeAll');
    return started;
  };
  return {
    get web() {
      return get().web;
    },
    get client() {
      return get().client;
    },
  };
}
