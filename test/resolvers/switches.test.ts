import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { json, startApp } from '../helpers/app.js';
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
