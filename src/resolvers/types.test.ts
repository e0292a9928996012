import { describe, expect, it } from 'vitest';
import { candidateRequests } from './types.js';

describe('candidateRequests', () => {
  it('tries the URL then its fallbacks, with the headers only where the origin is the URL’s own', () => {
    const headers = { cookie: 'tt=1', referer: 'https://www.tiktok.com/' };
    expect(
      candidateRequests({
        url: 'https://v16.tiktokcdn.com/a.mp4',
        fallbacks: ['https://v16.tiktokcdn.com/b.mp4', 'https://v19.tiktokcdn.com/a.mp4', 'http://v16.tiktokcdn.com/a.mp4'],
        headers,
      }),
    ).toEqual([
      { url: 'https://v16.tiktokcdn.com/a.mp4', headers },
      { url: 'https://v16.tiktokcdn.com/b.mp4', headers },
      { url: 'https://v19.tiktokcdn.com/a.mp4' },
      { url: 'http://v16.tiktokcdn.com/a.mp4' },
    ]);
  });

  it('is just the URL for a plain candidate, and survives an unparsable fallback', () => {
    expect(candidateRequests({ url: 'https://cdn.example.com/a.jpg' })).toEqual([{ url: 'https://cdn.example.com/a.jpg' }]);
    expect(candidateRequests({ url: 'https://cdn.example.com/a.jpg', fallbacks: ['not a url'], headers: { a: 'b' } })).toEqual([
      { url: 'https://cdn.example.com/a.jpg', headers: { a: 'b' } },
      { url: 'not a url' },
    ]);
  });
});
