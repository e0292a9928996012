import { bluesky } from './bluesky.resolver.js';
import { dropbox } from './dropbox.resolver.js';
import { flickr } from './flickr.resolver.js';
import { giphy } from './giphy.resolver.js';
import { googleDrive } from './google-drive.resolver.js';
import { imgur } from './imgur.resolver.js';
import { instagram } from './instagram.resolver.js';
import { mastodon } from './mastodon.resolver.js';
import { pexels } from './pexels.resolver.js';
import { pinterest } from './pinterest.resolver.js';
import { pixabay } from './pixabay.resolver.js';
import { reddit } from './reddit.resolver.js';
import { tenor } from './tenor.resolver.js';
import { threads } from './threads.resolver.js';
import { tiktok } from './tiktok.resolver.js';
import { tumblr } from './tumblr.resolver.js';
import { twitter } from './twitter.resolver.js';
import { unsplash } from './unsplash.resolver.js';
import { vimeo } from './vimeo.resolver.js';
import { youtube } from './youtube.resolver.js';
import type { Claim, Resolver } from './types.js';

/**
 * Every resolver, in the order they are tried; the first that claims a URL takes it. A URL no
 * resolver takes is downloaded as a direct link (and a web page becomes the media on it).
 * Adding a source is one module, its fixtures, and one line here. Mastodon comes last: it
 * takes a path shape (`/@user/<id>`) on any host, so every named site is asked first.
 */
export const RESOLVERS: readonly Resolver[] = [
  unsplash,
  pexels,
  pixabay,
  giphy,
  tenor,
  flickr,
  imgur,
  bluesky,
  twitter,
  reddit,
  tumblr,
  pinterest,
  youtube,
  vimeo,
  dropbox,
  googleDrive,
  instagram,
  threads,
  tiktok,
  mastodon,
];

/** The resolver that takes `url`, with what it parsed, or null. `except` is never asked. */
export function claimUrl(url: URL, resolvers: readonly Resolver[] = RESOLVERS, except?: Resolver): Claim | null {
  for (const resolver of resolvers) {
    if (resolver === except) continue;
    const claim = resolver.claim(url);
    if (claim) return claim;
  }
  return null;
}
