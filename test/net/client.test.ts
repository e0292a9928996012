import { beforeEach, describe, expect, it } from 'vitest';
import { FetchError } from '../../src/net/fetch-error.js';
import { useFixtureClient } from '../helpers/fixture-client.js';

/**
 * The outbound client's parts that resolvers lean on, on real host names served by the fixture
 * web: headers that stay with their origin, JSON POSTs across redirects, a body read only in
 * part, repeated headers, and a port named by the host resolver without loosening the policy.
 */

const MB = 1024 * 1024;
const fixtures = useFixtureClient();
beforeEach(() => fixtures.web.reset());

const echo = (url: string) =>
  fixtures.web.route(url, (req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ method: req.method, headers: req.headers, body: req.body }));
  });

describe('extra headers', () => {
  it('go to the origin asked for, and through a redirect that stays on it', async () => {
    fixtures.web.redirect('https://api.example.test/v1/photo', '/v1/photo-moved');
    echo('https://api.example.test/v1/photo-moved');
    const response = await fixtures.client.get('https://api.example.test/v1/photo', { maxBytes: MB, headers: { authorization: 'Client-ID k1' } });
    const seen = JSON.parse(await response.text()) as { headers: Record<string, string> };
    expect(seen.headers.authorization).toBe('Client-ID k1');
  });

  it('are dropped when a redirect leaves the origin (another host, or the same host on another scheme)', async () => {
    fixtures.web.redirect('https://api.example.test/v1/out', 'https://cdn.example.test/file');
    echo('https://cdn.example.test/file');
    const response = await fixtures.client.get('https://api.example.test/v1/out', { maxBytes: MB, headers: { authorization: 'Client-ID k1', cookie: 'sid=1' } });
    const seen = JSON.parse(await response.text()) as { headers: Record<string, string> };
    expect(seen.headers.authorization).toBeUndefined();
    expect(seen.headers.cookie).toBeUndefined();

    fixtures.web.redirect('https://api.example.test/v1/downgrade', 'http://api.example.test/v1/plain');
    echo('http://api.example.test/v1/plain');
    const plain = await fixtures.client.get('https://api.example.test/v1/downgrade', { maxBytes: MB, headers: { authorization: 'Client-ID k1' } });
    expect((JSON.parse(await plain.text()) as { headers: Record<string, string> }).headers.authorization).toBeUndefined();
  });
});

describe('POST with a JSON body', () => {
  it('sends the body as JSON', async () => {
    echo('https://social.example.test/api/notes/show');
    const response = await fixtures.client.post('https://social.example.test/api/notes/show', { maxBytes: MB, json: { noteId: 'abc' } });
    const seen = JSON.parse(await response.text()) as { method: string; headers: Record<string, string>; body: string };
    expect(seen.method).toBe('POST');
    expect(seen.headers['content-type']).toBe('application/json');
    expect(JSON.parse(seen.body)).toEqual({ noteId: 'abc' });
  });

  it('becomes a GET without the body after a 303, and stays a POST after a 307', async () => {
    fixtures.web.redirect('https://social.example.test/api/see-other', '/api/echo', 303);
    fixtures.web.redirect('https://social.example.test/api/temporary', '/api/echo', 307);
    echo('https://social.example.test/api/echo');
    const after303 = JSON.parse(await (await fixtures.client.post('https://social.example.test/api/see-other', { maxBytes: MB, json: { a: 1 } })).text()) as { method: string; body: string };
    expect(after303).toMatchObject({ method: 'GET', body: '' });
    const after307 = JSON.parse(await (await fixtures.client.post('https://social.example.test/api/temporary', { maxBytes: MB, json: { a: 1 } })).text()) as { method: string; body: string };
    expect(after307).toMatchObject({ method: 'POST', body: '{"a":1}' });
  });
});

describe('reading answers', () => {
  it('textPrefix reads the start of a body larger than the cap without failing, and stops there', async () => {
    const page = `<html><head><meta property="og:image" content="x"></head>${'<p>filler</p>'.repeat(200_000)}</html>`;
    fixtures.web.html('https://www.example.test/big-page', page);
    const response = await fixtures.client.get('https://www.example.test/big-page', { maxBytes: Number.MAX_SAFE_INTEGER });
    const prefix = await response.textPrefix(1000);
    expect(prefix).toBe(page.slice(0, 1000));
    // With a cap below the declared size, the same answer is too_large before a byte is read.
    await expect(fixtures.client.get('https://www.example.test/big-page', { maxBytes: 1000 })).rejects.toMatchObject({ code: 'too_large' });
  });

  it('headerAll gives every value of a repeated header', async () => {
    fixtures.web.route('https://www.example.test/cookies', (_req, res) => {
      res.writeHead(200, [
        ['content-type', 'text/plain'],
        ['set-cookie', 'a=1; Path=/'],
        ['set-cookie', 'b=2; Path=/'],
      ]);
      res.end('ok');
    });
    const response = await fixtures.client.get('https://www.example.test/cookies', { maxBytes: MB });
    expect(response.headerAll('set-cookie')).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    expect(response.header('set-cookie')).toBe('a=1; Path=/');
    expect(response.headerAll('x-absent')).toEqual([]);
    response.discard();
  });
});

describe('a port named by the host resolver', () => {
  it('reaches the fixture server for a name the test serves, over HTTPS with the real name checked', async () => {
    fixtures.web.text('https://public.api.example.test/ping', 'pong');
    const response = await fixtures.client.get('https://public.api.example.test/ping', { maxBytes: MB });
    expect(await response.text()).toBe('pong');
    expect(fixtures.web.requestsTo('public.api.example.test', '/ping')[0]!.headers.host).toBe('public.api.example.test');
  });

  it('does not loosen the address policy: a served name that resolves to a blocked address is still refused', async () => {
    fixtures.web.text('https://inside.example.test/secret', 'secret');
    fixtures.web.dns.set('inside.example.test', { a: ['127.0.0.1'] });
    const failure = await fixtures.client.get('https://inside.example.test/secret', { maxBytes: MB }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FetchError);
    expect(failure).toMatchObject({ code: 'blocked_address' });
    expect(fixtures.web.requestsTo('inside.example.test')).toEqual([]);
  });
});
