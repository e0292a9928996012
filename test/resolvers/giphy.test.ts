import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { OutboundClient } from '../../src/net/http-client.js';
import { giphy } from '../../src/resolvers/giphy.resolver.js';
import { cases } from './giphy.cases.js';
import { runResolverCases } from './harness.js';

const harness = runResolverCases('GIPHY', cases);

describe('GIPHY: the key in logs', () => {
  it('logs an answer of an unexpected shape with the URL it came from, without the key', async () => {
    const web = harness.web;
    web.reset();
    web.json('https://api.giphy.com/v1/gifs/l2JIcQ4UH5SoPtMJi', { data: { id: 'l2JIcQ4UH5SoPtMJi' } });
    const lines: string[] = [];
    const log = pino({ level: 'debug' }, new Writable({ write: (chunk: Buffer, _encoding, done) => void (lines.push(chunk.toString('utf8')), done()) }));
    const client = new OutboundClient(loadConfig({ ...web.env }).fetch, web.hostResolver);
    try {
      const claim = giphy.claim(new URL('https://giphy.com/gifs/l2JIcQ4UH5SoPtMJi'))!;
      const result = await claim.resolve({ client, signal: client.deadline(), log, keys: { giphyApiKey: 'secret-giphy-key' } });
      expect(result).toMatchObject({ ok: false, code: 'resolver_failed' });
    } finally {
      await client.close();
    }
    expect(web.requests[0]!.url.searchParams.get('api_key')).toBe('secret-giphy-key');
    const logged = lines.join('');
    expect(logged).toContain('api.giphy.com/v1/gifs/l2JIcQ4UH5SoPtMJi');
    expect(logged).not.toContain('secret-giphy-key');
  });
});
