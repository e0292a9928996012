import type { Resolver } from './types.js';

/**
 * Every resolver, in the order they are tried; the first whose `matches` is true takes the URL.
 * A URL no resolver takes is downloaded as a direct link.
 */
export const RESOLVERS: readonly Resolver[] = [];

export function findResolver(url: URL, resolvers: readonly Resolver[] = RESOLVERS): Resolver | undefined {
  return resolvers.find((resolver) => resolver.matches(url));
}
