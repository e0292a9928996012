import { expect } from 'vitest';
import type { FixtureWeb } from '../helpers/fixture-web.js';
import type { ResolverCase } from './harness.js';

/**
 * Recorded in the shape of Vimeo's oEmbed endpoint (`vimeo.com/api/oembed.json`), the full
 * answer and the cut-down one for a domain-restricted video, and of its image CDN
 * `i.vimeocdn.com`.
 */

const OEMBED = 'vimeo.com/api/oembed.json';
const CDN = 'https://i.vimeocdn.com/video';
const PICTURE = '1524033919-5201b27e94ead2d18805eae70faf0282028d27c926bfaa5423d9d28fa1f72301-d';

function oembed(id: string, overrides: Record<string, unknown> = {}) {
  return {
    type: 'video',
    version: '1.0',
    provider_name: 'Vimeo',
    provider_url: 'https://vimeo.com/',
    title: 'Night Train to Lisbon',
    author_name: 'Marta Costa',
    author_url: 'https://vimeo.com/martacosta',
    is_plus: '0',
    account_type: 'basic',
    html: `<iframe src="https://player.vimeo.com/video/${id}?app_id=122963" width="640" height="360" frameborder="0" allow="autoplay; fullscreen; picture-in-picture; clipboard-write" title="Night Train to Lisbon"></iframe>`,
    width: 640,
    height: 360,
    duration: 187,
    description: 'A short film about a long night.',
    thumbnail_url: `${CDN}/${PICTURE}_295x166?region=us`,
    thumbnail_width: 295,
    thumbnail_height: 166,
    thumbnail_url_with_play_button: `${CDN}/${PICTURE}_295x166?region=us&play=1`,
    upload_date: '2026-09-03 11:22:33',
    video_id: Number(id),
    uri: `/videos/${id}`,
    ...overrides,
  };
}

/** The oEmbed answer for the canonical page URL the resolver asks about. */
function answer(web: FixtureWeb, page: string, body: unknown, status = 200): void {
  const url = new URL(`https://${OEMBED}`);
  url.searchParams.set('url', page);
  web.json(url.href, body, status);
}

const credit = (page: string) => ({ author: 'Marta Costa', author_url: 'https://vimeo.com/martacosta', source: 'Vimeo', page_url: page });

async function fullSize(web: FixtureWeb): Promise<void> {
  await web.media(`${CDN}/${PICTURE}?region=us`, 'jpeg');
}

export const cases: readonly ResolverCase[] = [
  {
    name: 'a video page: the thumbnail at full size (size suffix dropped), the title as alt and the author credited',
    url: 'https://vimeo.com/288386543',
    async setup(web) {
      answer(web, 'https://vimeo.com/288386543', oembed('288386543'));
      await fullSize(web);
    },
    media: [{ name: 'vimeo-288386543.jpg', alt: 'Night Train to Lisbon', attribution: credit('https://vimeo.com/288386543'), mime_type: 'image/jpeg' }],
    check(web) {
      const asked = web.requestsTo('vimeo.com', '/api/oembed.json');
      expect(asked).toHaveLength(1);
      expect(asked[0]!.url.searchParams.get('url')).toBe('https://vimeo.com/288386543');
      expect(web.requestsTo('i.vimeocdn.com').map((r) => r.url.pathname + r.url.search)).toEqual([`/video/${PICTURE}?region=us`]);
    },
  },
  {
    name: 'an unlisted video: oEmbed is asked with its hash, and the page credited is the hashed one',
    url: 'https://vimeo.com/903115595/f14d06da38?share=copy',
    async setup(web) {
      answer(web, 'https://vimeo.com/903115595/f14d06da38', oembed('903115595'));
      await fullSize(web);
    },
    media: [{ name: 'vimeo-903115595.jpg', attribution: credit('https://vimeo.com/903115595/f14d06da38') }],
  },
  {
    name: 'the embed player (player.vimeo.com) with ?h= reaches the same unlisted video',
    url: 'https://player.vimeo.com/video/903115595?h=f14d06da38&badge=0&autopause=0',
    async setup(web) {
      answer(web, 'https://vimeo.com/903115595/f14d06da38', oembed('903115595'));
      await fullSize(web);
    },
    media: [{ name: 'vimeo-903115595.jpg', alt: 'Night Train to Lisbon' }],
    check(web) {
      expect(web.requestsTo('player.vimeo.com')).toEqual([]);
    },
  },
  {
    name: 'a video in a channel',
    url: 'https://vimeo.com/channels/staffpicks/967252742',
    async setup(web) {
      answer(web, 'https://vimeo.com/967252742', oembed('967252742'));
      await fullSize(web);
    },
    media: [{ name: 'vimeo-967252742.jpg', attribution: credit('https://vimeo.com/967252742') }],
  },
  {
    name: 'a video in a group',
    url: 'https://vimeo.com/groups/shortfilms/videos/967252743',
    async setup(web) {
      answer(web, 'https://vimeo.com/967252743', oembed('967252743'));
      await fullSize(web);
    },
    media: [{ name: 'vimeo-967252743.jpg' }],
  },
  {
    name: 'an older thumbnail name (…_640.jpg) whose full size is refused falls back to the named size',
    url: 'https://vimeo.com/92354665',
    async setup(web) {
      answer(web, 'https://vimeo.com/92354665', oembed('92354665', { thumbnail_url: `${CDN}/472061562_640.jpg` }));
      web.text(`${CDN}/472061562.jpg`, 'Not Found', 404);
      await web.media(`${CDN}/472061562_640.jpg`, 'jpeg');
    },
    media: [{ name: 'vimeo-92354665.jpg' }],
    check(web) {
      expect(web.requestsTo('i.vimeocdn.com').map((r) => r.url.pathname)).toEqual(['/video/472061562.jpg', '/video/472061562_640.jpg']);
    },
  },
  {
    name: 'an answer without an author has no credit',
    url: 'https://vimeo.com/92354666',
    async setup(web) {
      answer(web, 'https://vimeo.com/92354666', oembed('92354666', { author_name: '', author_url: '' }));
      await fullSize(web);
    },
    media: [{ name: 'vimeo-92354666.jpg', attribution: null }],
  },
  {
    name: 'a video that does not exist (404) is not_found',
    url: 'https://vimeo.com/1',
    setup: (web) => answer(web, 'https://vimeo.com/1', '404 Not Found', 404),
    skipped: [{ code: 'not_found' }],
  },
  {
    name: 'a private video (403) is login_required',
    url: 'https://vimeo.com/477957994',
    setup: (web) => answer(web, 'https://vimeo.com/477957994', '403 Forbidden', 403),
    skipped: [{ code: 'login_required' }],
  },
  {
    name: 'a video embeddable on some sites only (cut-down answer, domain_status_code 403) is login_required',
    url: 'https://vimeo.com/477957995',
    setup(web) {
      const full = oembed('477957995');
      answer(web, 'https://vimeo.com/477957995', {
        type: full.type,
        version: full.version,
        provider_name: full.provider_name,
        provider_url: full.provider_url,
        html: full.html,
        width: 426,
        height: 240,
        video_id: 477957995,
        uri: '/videos/477957995',
        domain_status_code: 403,
      });
    },
    skipped: [{ code: 'login_required', message: /where its owner embeds it/ }],
    check(web) {
      expect(web.requestsTo('i.vimeocdn.com')).toEqual([]);
    },
  },
  {
    name: 'an answer that is not oEmbed is resolver_failed',
    url: 'https://vimeo.com/477957996',
    setup: (web) => answer(web, 'https://vimeo.com/477957996', { error: { code: 'x' } }),
    skipped: [{ code: 'resolver_failed' }],
  },
  {
    name: 'a thumbnail on a private address is blocked_address',
    url: 'https://vimeo.com/477957997',
    setup: (web) => answer(web, 'https://vimeo.com/477957997', oembed('477957997', { thumbnail_url: 'http://10.0.0.1/video/1_640.jpg' })),
    skipped: [{ code: 'blocked_address', item_url: 'http://10.0.0.1/video/1_640.jpg' }],
  },
];
