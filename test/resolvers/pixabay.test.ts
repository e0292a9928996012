import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { OutboundClient } from '../../src/net/http-client.js';
import { pixabay } from '../../src/resolvers/pixabay.resolver.js';
import { cases } from './pixabay.cases.js';
import { runResolverCases } from './harness.js';

const harness = runResolverCases('Pixabay', cases);

describe('Pixabay: the key in logs', () => {
  it('logs an answer of an unexpected shape with the URL it came from, without the key', async () => {
    const web = harness.web;
    web.reset();
    web.json('https://pixabay.com/api/?id=4910149', { hits: 'none' });
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString('utf8')), done()) }));
    const client = new OutboundClient(loadConfig({ ...web.env }).fetch, web.hostResolver);
    try {
      const claim = pixabay.claim(new URL('https://pixabay.com/photos/daffodils-4910149/'))!;
      const result = await claim.resolve({ client, signal: client.deadline(), log, keys: { pixabayApiKey: 'secret-pixabay-key' } });
      expect(result).toMatchObject({ ok: false, code: 'resolver_failed' });
    } finally {
      await client.close();
    }
    expect(web.requests[0]!.url.searchParams.get('key')).toBe('secret-pixabay-key');
    const logged = lines.join('');
    expect(logged).toContain('pixabay.com/api/');
    expect(logged).not.toContain('secret-pixabay-key');
  });
});
