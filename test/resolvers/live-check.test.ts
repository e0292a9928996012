import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { bluesky } from '../../src/resolvers/bluesky.resolver.js';
import { type SampleCheck, checkSamples } from '../../src/resolvers/live-check.js';
import { useFixtureClient } from '../helpers/fixture-client.js';

/**
 * The live check's reporting, with the fixture web standing in for the real sites (the check
 * itself needs the internet and is never part of the suite): a working sample, a sample whose
 * post is gone, and a sample whose media no longer answers.
 */

const fixtures = useFixtureClient();

const THREAD = 'public.api.bsky.app/xrpc/app.bsky.feed.getPostThread';
function post(actor: string, rkey: string, image: string) {
  fixtures.web.json(`${THREAD}?uri=at://${actor}/app.bsky.feed.post/${rkey}`, {
    thread: {
      post: {
        uri: `at://did:plc:x/app.bsky.feed.post/${rkey}`,
        author: { did: 'did:plc:x', handle: actor },
        embed: { $type: 'app.bsky.embed.images#view', images: [{ fullsize: image, thumb: image, alt: '' }] },
      },
    },
  });
}

describe('live check', () => {
  it('reports each sample: working, gone, and media that no longer answers', async () => {
    const [working, gone, broken] = bluesky.samples.map((s) => new URL(s)) as [URL, URL, URL];
    const rkey = (url: URL) => url.pathname.split('/').pop()!;
    const actor = (url: URL) => url.pathname.split('/')[2]!;
    post(actor(working), rkey(working), 'https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:x/ok@jpeg');
    await fixtures.web.media('https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:x/ok@jpeg', 'jpeg');
    fixtures.web.json(`${THREAD}?uri=at://${actor(gone)}/app.bsky.feed.post/${rkey(gone)}`, { error: 'NotFound', message: 'Post not found' }, 400);
    post(actor(broken), rkey(broken), 'https://cdn.bsky.app/img/feed_fullsize/plain/did:plc:x/missing@jpeg');

    const seen: SampleCheck[] = [];
    const results = await checkSamples([bluesky], { client: fixtures.client, keys: {}, log: pino({ level: 'silent' }) }, (r) => seen.push(r));
    expect(seen).toEqual(results);
    expect(results.map((r) => [r.url, r.ok, r.code, r.items])).toEqual([
      [working.href, true, null, 1],
      [gone.href, false, 'not_found', 0],
      [broken.href, false, 'media_unreachable', 1],
    ]);
    expect(results[2]!.message).toMatch(/404/);
  });
});
