import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { MAX_ITEMS_PER_URL } from '../../src/services/import.service.js';
import { json, startApp } from '../helpers/app.js';
import { png } from '../helpers/media-fixtures.js';
import { useHarness } from './harness.js';

/**
 * What the resolver machinery does around every resolver: INTAKE_RESOLVERS_DISABLED (a resolver
 * turned off takes no URL; its URLs are ordinary links), metrics, and the log an operator reads
 * when a site changes.
 */

const harness = useHarness();
const POST = 'https://bsky.app/profile/alice.example.com/post/3kswitch';

describe('a resolver turned off', () => {
  it('leaves its URLs to the generic path: the page is read for its media, the API is never asked', async () => {
    const web = harness.web;
    web.reset();
    web.html(POST, `<!doctype html><html><head><meta property="og:image" content="https://cdn.bsky.app/img/og/card.jpg"><meta property="og:image:alt" content="Card"></head><body></body></html>`);
    await web.media('https://cdn.bsky.app/img/og/card.jpg', 'jpeg');
    web.json('https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread', { error: 'should not be asked' }, 500);

    const off = await harness.importUrls([POST], { INTAKE_RESOLVERS_DISABLED: 'bluesky' });
    expect(off.skipped).toEqual([]);
    expect(off.media.map((m) => [m.name, m.alt, m.attribution])).toEqual([['card.jpg', 'Card', null]]);
    expect(web.requestsTo('public.api.bsky.app')).toEqual([]);

    // The same URL with the resolver on goes to the API.
    const on = await harness.importUrls([POST]);
    expect(on.skipped.map((s) => s.code)).toEqual(['http_error']);
    expect(web.requestsTo('public.api.bsky.app')).toHaveLength(1);
    // And is counted by resolver and result, where an operator sees a site break first.
    const { app } = await harness.app();
    const metrics = await (await fetch(`${app.url}/metrics`)).text();
    expect(metrics).toMatch(/intake_resolver_results_total\{resolver="bluesky",result="http_error"\} 1/);
  });
});

describe('a site answering in a shape the resolver does not know', () => {
  it('is resolver_failed for the user and an error in the log, with the resolver and the URL', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const log = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>) });
    const web = harness.web;
    web.reset();
    const url = 'https://bsky.app/profile/alice.example.com/post/3kshape';
    web.json('https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread', { thread: { post: { author: 'not an object' } } });
    const app = await startApp({ ...web.env }, { hostResolver: web.hostResolver }, { log });
    try {
      const user = await app.user();
      const res = await app.api(user.token, '/api/v1/media/upload/url', json({ workspace_id: user.workspaceId, urls: [url] }));
      const body: any = await res.json();
      expect(res.status).toBe(200);
      expect(body.skipped).toEqual([{ url, code: 'resolver_failed', message: expect.stringMatching(/does not understand/) }]);
      const logged = lines.find((l) => l.level === 50 && String(l.msg).includes('unexpected answer'));
      expect(logged).toMatchObject({ resolver: 'bluesky', url });
      expect(JSON.stringify(logged)).toMatch(/author/);
    } finally {
      await app.close();
    }
  });
});

describe('a source naming more items than one URL may bring', () => {
  it('imports the first MAX_ITEMS_PER_URL in order and says how many were left out', async () => {
    const web = harness.web;
    web.reset();
    const total = MAX_ITEMS_PER_URL + 3;
    const cdn = (i: number) => `https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:many/img${i}@jpeg`;
    web.json('https://public.api.bsky.app/xrpc/app.bsky.feed.getPostThread', {
      thread: {
        post: {
          uri: 'at://did:plc:many/app.bsky.feed.post/3kmany',
          author: { did: 'did:plc:many', handle: 'many.example.com' },
          embed: { $type: 'app.bsky.embed.images#view', images: Array.from({ length: total }, (_, i) => ({ fullsize: cdn(i), thumb: cdn(i), alt: `n${i}` })) },
        },
      },
    });
    const shared = await png();
    for (let i = 0; i < total; i++) web.route(cdn(i), (_req, res) => void res.writeHead(200, { 'content-type': 'image/png' }).end(shared));
    const body = await harness.importUrls(['https://bsky.app/profile/many.example.com/post/3kmany']);
    expect(body.media).toHaveLength(MAX_ITEMS_PER_URL);
    expect(body.media.map((m) => m.alt)).toEqual(Array.from({ length: MAX_ITEMS_PER_URL }, (_, i) => `n${i}`));
    expect(body.skipped).toEqual([
      { url: 'https://bsky.app/profile/many.example.com/post/3kmany', code: 'too_large', message: expect.stringMatching(/at most 100 items of one URL; 3 more/) },
    ]);
    expect(web.requestsTo('cdn.bsky.app')).toHaveLength(MAX_ITEMS_PER_URL);
  });
});
