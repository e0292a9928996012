import { describe, expect, it } from 'vitest';
import type { MediaCandidate } from '../types.js';
import { oembedCandidates, readPageMedia } from './page-media.js';

const PAGE = new URL('https://example.com/posts/42?ref=x#top');

/** A page whose <head> holds `head`. */
function page(head: string, body = ''): string {
  return `<!doctype html><html><head><meta charset="utf-8">${head}</head><body>${body}</body></html>`;
}

function ld(value: unknown): string {
  return `<script type="application/ld+json">${JSON.stringify(value)}</script>`;
}

function media(url: string, alt: string | null = null): MediaCandidate {
  return { url, alt };
}

interface Case {
  readonly name: string;
  readonly html: string;
  readonly pageUrl?: URL;
  readonly candidates: MediaCandidate[];
}

const cases: Case[] = [
  // JSON-LD
  {
    name: 'JSON-LD ImageObject',
    html: page(ld({ '@context': 'https://schema.org', '@type': 'ImageObject', contentUrl: 'https://cdn.example.com/full.jpg', caption: 'A heron' })),
    candidates: [media('https://cdn.example.com/full.jpg', 'A heron')],
  },
  {
    name: 'JSON-LD VideoObject: contentUrl wins over thumbnailUrl and embedUrl',
    html: page(
      ld({
        '@type': 'VideoObject',
        embedUrl: 'https://example.com/embed/1',
        thumbnailUrl: ['https://cdn.example.com/thumb.jpg'],
        contentUrl: 'https://cdn.example.com/clip.mp4',
      }),
    ),
    candidates: [media('https://cdn.example.com/clip.mp4')],
  },
  {
    name: 'JSON-LD VideoObject without a file falls back to its thumbnail',
    html: page(ld({ '@type': 'VideoObject', embedUrl: 'https://example.com/embed/1', thumbnailUrl: 'https://cdn.example.com/thumb.jpg' })),
    candidates: [media('https://cdn.example.com/thumb.jpg')],
  },
  {
    name: 'JSON-LD @graph (Yoast shape): the primary image, not the author avatar or the logo',
    html: page(
      ld({
        '@context': 'https://schema.org',
        '@graph': [
          { '@type': 'WebPage', '@id': 'https://example.com/posts/42', image: { '@id': '#primaryimage' }, thumbnailUrl: 'https://cdn.example.com/small.jpg' },
          { '@type': 'ImageObject', '@id': '#primaryimage', url: 'https://cdn.example.com/primary.jpg', contentUrl: 'https://cdn.example.com/primary.jpg', caption: 'Primary' },
          { '@type': 'Organization', logo: { '@type': 'ImageObject', contentUrl: 'https://cdn.example.com/logo.png' }, image: 'https://cdn.example.com/logo.png' },
          { '@type': 'Person', image: { '@type': 'ImageObject', contentUrl: 'https://gravatar.example/avatar.jpg' } },
        ],
      }),
    ),
    candidates: [media('https://cdn.example.com/primary.jpg', 'Primary')],
  },
  {
    name: 'JSON-LD Article with an image array of objects and strings, and a nested video',
    html: page(
      ld([
        {
          '@type': ['NewsArticle'],
          headline: 'News',
          image: [
            { '@type': 'ImageObject', url: 'https://cdn.example.com/a.jpg', caption: 'A' },
            'https://cdn.example.com/b.jpg',
            '/relative/c.jpg',
            { url: 'https://cdn.example.com/d.jpg' },
          ],
          video: { '@type': 'VideoObject', contentUrl: 'https://cdn.example.com/v.webm' },
          author: { '@type': 'Person', name: 'Ann', image: 'https://cdn.example.com/ann.jpg' },
          publisher: { '@type': 'NewsMediaOrganization', logo: { '@type': 'ImageObject', url: 'https://cdn.example.com/logo.png' } },
        },
      ]),
    ),
    candidates: [
      media('https://cdn.example.com/a.jpg', 'A'),
      media('https://cdn.example.com/b.jpg'),
      media('https://example.com/relative/c.jpg'),
      media('https://cdn.example.com/d.jpg'),
      media('https://cdn.example.com/v.webm'),
    ],
  },
  {
    name: 'JSON-LD with a string image, full schema IRIs, an HTML comment wrapper and raw newlines',
    html: page(
      `<script type="application/ld+json"><!--
        {"@type": "http://schema.org/Product", "image": "https://cdn.example.com/p.jpg?w=1&amp;h=2"}
      --></script>` +
        `<SCRIPT TYPE="Application/LD+JSON; charset=utf-8">{"@type": "schema:ImageObject", "contentUrl": "https://cdn.example.com/q.jpg", "caption": "line one
line two"}</SCRIPT>`,
    ),
    candidates: [media('https://cdn.example.com/p.jpg?w=1&h=2'), media('https://cdn.example.com/q.jpg', 'line one line two')],
  },
  {
    name: 'malformed JSON-LD is ignored, the rest of the page still counts',
    html: page(
      '<script type="application/ld+json">{"@type": "ImageObject", "contentUrl": </script>' +
        '<script type="application/ld+json">null</script><script type="application/ld+json">"just a string"</script>' +
        '<script type="application/ld+json">{"@type": 42, "image": {"__proto__": {"contentUrl": 1}}}</script>' +
        '<meta property="og:image" content="https://cdn.example.com/og.jpg">',
    ),
    candidates: [media('https://cdn.example.com/og.jpg')],
  },
  // og:video and twitter:player
  {
    name: 'og:video with type video/mp4, secure_url preferred',
    html: page(
      '<meta property="og:video" content="http://cdn.example.com/v.mp4"><meta property="og:video:secure_url" content="https://cdn.example.com/v.mp4">' +
        '<meta property="og:video:type" content="video/mp4"><meta property="og:video:width" content="1280">',
    ),
    candidates: [media('https://cdn.example.com/v.mp4')],
  },
  {
    name: 'og:video:url without a type counts when the URL ends in a video extension',
    html: page('<meta property="og:video:url" content="/media/v.webm?sig=1"><meta property="og:video" content="/watch/7">'),
    candidates: [media('https://example.com/media/v.webm?sig=1')],
  },
  {
    name: 'og:video with a Flash type is ignored',
    html: page('<meta property="og:video" content="https://example.com/player.swf?v=1"><meta property="og:video:type" content="application/x-shockwave-flash">'),
    candidates: [],
  },
  {
    name: 'og:video with type text/html (a player page) is ignored, the poster image is kept',
    html: page(
      '<meta property="og:video" content="https://example.com/embed/1.mp4"><meta property="og:video:type" content="text/html">' +
        '<meta property="og:image" content="https://cdn.example.com/poster.jpg">',
    ),
    candidates: [media('https://cdn.example.com/poster.jpg')],
  },
  {
    name: 'twitter:player:stream is taken, twitter:player is not',
    html: page(
      '<meta name="twitter:card" content="player"><meta name="twitter:player" content="https://example.com/iframe/1">' +
        '<meta name="twitter:player:stream" content="https://cdn.example.com/stream.mp4"><meta name="twitter:player:stream:content_type" content="video/mp4">',
    ),
    candidates: [media('https://cdn.example.com/stream.mp4')],
  },
  // og:image
  {
    name: 'several og:image in page order, each with its own alt',
    html: page(
      '<meta property="og:image" content="https://cdn.example.com/1.jpg"><meta property="og:image:width" content="800"><meta property="og:image:alt" content="First">' +
        '<meta property="og:image" content="https://cdn.example.com/2.jpg">' +
        '<meta property="og:image:url" content="https://cdn.example.com/3.jpg"><meta property="og:image:alt" content="  Third\n picture ">',
    ),
    candidates: [media('https://cdn.example.com/1.jpg', 'First'), media('https://cdn.example.com/2.jpg'), media('https://cdn.example.com/3.jpg', 'Third picture')],
  },
  {
    name: 'og:image + og:image:secure_url is one image, the https one',
    html: page(
      '<meta property="og:image" content="http://cdn.example.com/a.jpg"><meta property="og:image:url" content="http://cdn.example.com/a.jpg">' +
        '<meta property="og:image:secure_url" content="https://cdn.example.com/a.jpg"><meta property="og:image:alt" content="Alt">',
    ),
    candidates: [media('https://cdn.example.com/a.jpg', 'Alt')],
  },
  {
    name: 'twitter:image as the fallback, with its alt',
    html: page('<meta name="twitter:image:alt" content="Sunset"><meta name="twitter:image:src" content="https://cdn.example.com/tw.jpg">'),
    candidates: [media('https://cdn.example.com/tw.jpg', 'Sunset')],
  },
  {
    name: '<link rel="image_src">',
    html: page('<link rel="image_src" href="/legacy.png">'),
    candidates: [media('https://example.com/legacy.png')],
  },
  {
    name: 'priority: JSON-LD, og:video, twitter:player:stream, og:image, twitter:image, image_src',
    html: page(
      '<link rel="image_src" href="https://c.example/6.jpg"><meta name="twitter:image" content="https://c.example/5.jpg">' +
        '<meta property="og:image" content="https://c.example/4.jpg"><meta name="twitter:player:stream" content="https://c.example/3.mp4">' +
        '<meta property="og:video" content="https://c.example/2.mp4">' +
        ld({ '@type': 'ImageObject', contentUrl: 'https://c.example/1.jpg' }),
    ),
    candidates: ['1.jpg', '2.mp4', '3.mp4', '4.jpg', '5.jpg', '6.jpg'].map((file) => media(`https://c.example/${file}`)),
  },
  // URLs
  {
    name: 'relative URLs resolve against the page',
    html: page('<meta property="og:image" content="../img/a.jpg"><meta property="og:image" content="//cdn.example.com/b.jpg"><meta property="og:image" content="c.jpg#frag">'),
    candidates: [media('https://example.com/img/a.jpg'), media('https://cdn.example.com/b.jpg'), media('https://example.com/posts/c.jpg')],
  },
  {
    name: 'relative URLs resolve against <base href>, wherever it is',
    html: page('<meta property="og:image" content="a.jpg"><base href="/static/"><base href="https://other.example/">'),
    candidates: [media('https://example.com/static/a.jpg')],
  },
  {
    name: 'a javascript: <base href> is ignored',
    html: page('<base href="javascript:alert(1)//"><meta property="og:image" content="a.jpg">'),
    candidates: [media('https://example.com/posts/a.jpg')],
  },
  {
    name: 'entity-encoded URLs are decoded',
    html: page('<meta property="og:image" content="https://cdn.example.com/i.jpg?w=1&amp;h=2&#38;q=3&amp;x=&lt;">'),
    candidates: [media('https://cdn.example.com/i.jpg?w=1&h=2&q=3&x=%3C')],
  },
  {
    name: 'data:, javascript:, ftp:, empty and self-referencing URLs are dropped',
    html: page(
      '<meta property="og:image" content="data:image/png;base64,iVBORw0KGgo="><meta property="og:image" content="javascript:alert(1)">' +
        '<meta property="og:image" content=" JAVASCRIPT:alert(1)"><meta property="og:image" content="ftp://example.com/a.jpg">' +
        '<meta property="og:image" content=""><meta property="og:image" content="   "><meta property="og:image" content="#top">' +
        '<meta property="og:image" content="https://example.com/posts/42?ref=x"><meta property="og:image" content="http://[::1">' +
        '<meta property="og:image" content="https://cdn.example.com/ok.jpg">',
    ),
    candidates: [media('https://cdn.example.com/ok.jpg')],
  },
  {
    name: 'duplicates across sources are merged, keeping the first and picking up a later alt',
    html: page(
      ld({ '@type': 'ImageObject', contentUrl: 'https://cdn.example.com/a.jpg' }) +
        '<meta property="og:image" content="https://cdn.example.com/a.jpg"><meta property="og:image:alt" content="From OG">' +
        '<meta name="twitter:image" content="https://cdn.example.com/a.jpg"><meta name="twitter:image:alt" content="From Twitter">' +
        '<link rel="image_src" href="https://cdn.example.com/a.jpg#x">',
    ),
    candidates: [media('https://cdn.example.com/a.jpg', 'From OG')],
  },
  {
    name: 'a page with nothing',
    html: page('<title>Nothing</title><meta name="description" content="none">', '<img src="/photo.jpg"><video src="/v.mp4"></video>'),
    candidates: [],
  },
  {
    name: 'upper-case tags and attributes, RDFa multi-valued property, name= instead of property=',
    html: '<HTML><HEAD><META PROPERTY="OG:IMAGE twitter:image" CONTENT="https://cdn.example.com/A.JPG"><Meta Name="Og:Image:Alt" Content="Shout"><LINK REL="IMAGE_SRC" HREF="/B.png"></HEAD></HTML>',
    candidates: [media('https://cdn.example.com/A.JPG', 'Shout'), media('https://example.com/B.png')],
  },
  {
    name: 'old Twitter-card markup with value= instead of content=',
    html: page('<meta name="twitter:image" value="https://cdn.example.com/v.jpg"><meta name="twitter:image:alt" value="Old">'),
    candidates: [media('https://cdn.example.com/v.jpg', 'Old')],
  },
  {
    name: 'malformed HTML: unclosed tags, unquoted values, junk between',
    html: '<html><head><div><p>oops<meta property=og:image content=https://cdn.example.com/u.jpg><span <<>> <meta property="og:image" content="/v.jpg"<meta property="og:image" content="/w.jpg">',
    candidates: [media('https://cdn.example.com/u.jpg'), media('https://example.com/v.jpg')],
  },
  {
    name: 'at most 20 candidates',
    html: page(Array.from({ length: 30 }, (_, i) => `<meta property="og:image" content="/${i}.jpg">`).join('')),
    candidates: Array.from({ length: 20 }, (_, i) => media(`https://example.com/${i}.jpg`)),
  },
];

describe('readPageMedia', () => {
  it.each(cases)('$name', ({ html, pageUrl, candidates }) => {
    expect(readPageMedia(html, pageUrl ?? PAGE).candidates).toEqual(candidates);
  });

  it('lists oEmbed endpoints, JSON first, as absolute URLs', () => {
    const html = page(
      '<link rel="alternate" type="text/xml+oembed" href="/oembed?format=xml&amp;url=x">' +
        '<link rel="alternate" type="application/json+oembed" href="/oembed?format=json&amp;url=x" title="t">' +
        '<LINK REL="Alternate" TYPE="Application/JSON+oEmbed" HREF="https://api.example.net/oembed.json">' +
        '<link rel="alternate" type="application/json+oembed" href="javascript:alert(1)">' +
        '<link rel="alternate" type="application/rss+xml" href="/feed">',
    );
    expect(readPageMedia(html, PAGE).oembed).toEqual([
      'https://example.com/oembed?format=json&url=x',
      'https://api.example.net/oembed.json',
      'https://example.com/oembed?format=xml&url=x',
    ]);
  });

  it('reads og:title and og:site_name, falling back to twitter:title and <title>', () => {
    const og = page('<title>HTML</title><meta property="og:title" content="  The &amp; Title "><meta property="og:site_name" content="Example">');
    expect(readPageMedia(og, PAGE)).toMatchObject({ title: 'The & Title', siteName: 'Example' });
    expect(readPageMedia(page('<title>HTML</title><meta name="twitter:title" content="Tweet">'), PAGE)).toMatchObject({ title: 'Tweet', siteName: null });
    expect(readPageMedia(page('<title>\n  Only &lt;HTML&gt;\n</title>', '<svg><title>icon</title></svg>'), PAGE)).toMatchObject({ title: 'Only <HTML>' });
    expect(readPageMedia('', PAGE)).toEqual({ best: [], candidates: [], oembed: [], title: null, siteName: null });
  });

  it('finishes on 2 MB of junk and hostile markup without throwing', () => {
    const junk = [
      '<'.repeat(200_000),
      '<meta property="og:image" content="'.repeat(10_000),
      '<script type="application/ld+json">' + '['.repeat(300_000) + '</script>',
      '<script type="application/ld+json">' + '{"image":'.repeat(50_000) + '"https://x.example/deep.jpg"' + '}'.repeat(50_000) + '</script>',
      '&#'.repeat(100_000),
      '<a href="'.repeat(20_000),
      Array.from({ length: 20_000 }, (_, i) => String.fromCharCode(i % 0xffff)).join(''),
    ].join('');
    const html = junk.padEnd(2 * 1024 * 1024, '<!--x-- ');
    const started = performance.now();
    const result = readPageMedia(html, PAGE);
    expect(result.candidates.length).toBeLessThanOrEqual(20);
    // Generous: the parse takes tens of milliseconds; a catastrophic pattern would take minutes.
    expect(performance.now() - started).toBeLessThan(4000);
  });

  it('survives a deeply nested, valid JSON-LD document', () => {
    const deep = '<script type="application/ld+json">' + '['.repeat(100_000) + ']'.repeat(100_000) + '</script>';
    expect(readPageMedia(page(deep), PAGE).candidates).toEqual([]);
  });
});

describe('oembedCandidates', () => {
  const attribution = { author: 'Ann Lee', author_url: 'https://example.com/ann', source: 'Example', page_url: 'https://example.com/posts/42?ref=x' };
  const authors = { author_name: ' Ann  Lee ', author_url: '/ann', provider_name: 'Example' };

  it.each([
    { name: 'photo gives its url', json: { type: 'photo', url: 'https://cdn.example.com/p.jpg', width: 1, height: 1, ...authors }, candidates: [{ url: 'https://cdn.example.com/p.jpg', alt: null, attribution }] },
    {
      name: 'video gives its thumbnail, not the iframe',
      json: { type: 'video', html: '<iframe src="https://example.com/embed"></iframe>', thumbnail_url: 'https://cdn.example.com/t.jpg', ...authors },
      candidates: [{ url: 'https://cdn.example.com/t.jpg', alt: null, attribution }],
    },
    { name: 'rich gives its thumbnail', json: { type: 'RICH', thumbnail_url: 'https://cdn.example.com/r.jpg' }, candidates: [{ url: 'https://cdn.example.com/r.jpg', alt: null, attribution: null }] },
    { name: 'rich without a thumbnail gives nothing', json: { type: 'rich', html: '<div></div>' }, candidates: [] },
    { name: 'link gives nothing', json: { type: 'link', url: 'https://cdn.example.com/p.jpg', thumbnail_url: 'https://cdn.example.com/t.jpg' }, candidates: [] },
    {
      name: 'provider alone is an attribution; a javascript: author_url is dropped',
      json: { type: 'photo', url: 'https://cdn.example.com/p.jpg', provider_name: 'Example', author_url: 'javascript:alert(1)' },
      candidates: [{ url: 'https://cdn.example.com/p.jpg', alt: null, attribution: { author: null, author_url: null, source: 'Example', page_url: attribution.page_url } }],
    },
    { name: 'photo with a data: url', json: { type: 'photo', url: 'data:image/png;base64,AAAA' }, candidates: [] },
    { name: 'photo with a non-string url', json: { type: 'photo', url: ['https://cdn.example.com/p.jpg'] }, candidates: [] },
    { name: 'no type', json: { url: 'https://cdn.example.com/p.jpg' }, candidates: [] },
    { name: 'null', json: null, candidates: [] },
    { name: 'a string', json: 'photo', candidates: [] },
    { name: 'an array', json: [{ type: 'photo', url: 'https://cdn.example.com/p.jpg' }], candidates: [] },
    { name: 'a number', json: 42, candidates: [] },
  ])('$name', ({ json, candidates }) => {
    expect(oembedCandidates(json, PAGE)).toEqual(candidates);
  });
});

describe('readPageMedia best', () => {
  const urls = (html: string) => readPageMedia(html, PAGE).best.map((c) => c.url);

  it.each([
    {
      name: 'a video beats its poster image',
      html: '<meta property="og:image" content="https://cdn.example.com/poster.jpg"><meta property="og:video" content="https://cdn.example.com/v.mp4"><meta property="og:video:type" content="video/mp4">',
      best: ['https://cdn.example.com/v.mp4'],
    },
    {
      name: 'every og:image, but not the Twitter crop of the same picture',
      html: '<meta property="og:image" content="https://cdn.example.com/a.jpg"><meta property="og:image" content="https://cdn.example.com/b.jpg"><meta name="twitter:image" content="https://cdn.example.com/a-crop.jpg">',
      best: ['https://cdn.example.com/a.jpg', 'https://cdn.example.com/b.jpg'],
    },
    {
      name: 'JSON-LD media first',
      html: '<script type="application/ld+json">{"@type":"ImageObject","contentUrl":"https://cdn.example.com/full.jpg"}</script><meta property="og:image" content="https://cdn.example.com/small.jpg">',
      best: ['https://cdn.example.com/full.jpg'],
    },
    {
      name: 'a source that repeats an earlier one adds nothing, so the earlier source stands',
      html: '<meta property="og:image" content="https://cdn.example.com/a.jpg"><meta name="twitter:image" content="https://cdn.example.com/a.jpg">',
      best: ['https://cdn.example.com/a.jpg'],
    },
    { name: 'twitter:image alone', html: '<meta name="twitter:image" content="https://cdn.example.com/t.jpg">', best: ['https://cdn.example.com/t.jpg'] },
    { name: 'image_src alone', html: '<link rel="image_src" href="/i.jpg">', best: ['https://example.com/i.jpg'] },
    { name: 'nothing', html: '<p>hello</p>', best: [] },
  ])('$name', ({ html, best }) => {
    expect(urls(html)).toEqual(best);
  });
});
