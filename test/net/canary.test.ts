import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type Canary, startCanary } from '../helpers/net-canary.js';

const canaries: Canary[] = [];
afterEach(async () => {
  await Promise.all(canaries.splice(0).map((c) => c.close()));
});

async function start(host: string, port?: number): Promise<Canary> {
  const canary = await startCanary(host, port);
  canaries.push(canary);
  return canary;
}

/** Connects, and resolves with how the canary hung up on us. */
function knock(host: string, port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    let code: string | undefined;
    const socket = net.connect({ host, port });
    socket.on('error', (error: NodeJS.ErrnoException) => (code = error.code));
    socket.on('close', () => resolve(code));
    socket.resume();
  });
}

describe('canary listener', () => {
  it('records each connection and hangs up at once', async () => {
    const canary = await start('127.0.0.1');
    expect(canary.connections).toEqual([]);
    expect(await knock('127.0.0.1', canary.port)).toBe('ECONNRESET');
    await knock('127.0.0.1', canary.port);
    expect(canary.connections).toHaveLength(2);
    expect(canary.connections[0]).toMatchObject({ remoteAddress: '127.0.0.1' });
    expect(canary.address).toBe(`127.0.0.1:${canary.port}`);
  });

  it('listens on IPv6 loopback', async () => {
    const canary = await start('::1');
    expect(canary.address).toBe(`[::1]:${canary.port}`);
    await knock('::1', canary.port);
    expect(canary.connections).toEqual([{ remoteAddress: '::1', remotePort: expect.any(Number) }]);
  });

  it('takes a given port, so one port can guard several loopback addresses', async () => {
    const one = await start('127.0.0.1');
    const three = await start('127.0.0.3', one.port);
    expect(three.port).toBe(one.port);
    await knock('127.0.0.3', one.port);
    expect(three.connections).toHaveLength(1);
    expect(one.connections).toHaveLength(0);
  });

  it('makes HTTP clients fail fast rather than hang', async () => {
    const canary = await start('127.0.0.1');
    // Repeated: a polite close made fetch hang now and then (see net-canary.ts).
    for (let i = 0; i < 20; i++) {
      await expect(fetch(`http://${canary.address}/`, { signal: AbortSignal.timeout(5000) })).rejects.toMatchObject({
        cause: { code: 'ECONNRESET' },
      });
    }
    expect(canary.connections).toHaveLength(20);
  });

  it('stays empty when nothing connects', async () => {
    const canary = await start('127.0.0.3');
    await knock('127.0.0.1', (await start('127.0.0.1')).port);
    expect(canary.connections).toEqual([]);
  });
});
