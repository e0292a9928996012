import { describe, expect, it } from 'vitest';
import { threads } from './threads.resolver.js';

describe('threads.match', () => {
  it.each([
    ['https://www.threads.com/@soren.iverson/post/C8PdJ59pMLr', { user: 'soren.iverson', code: 'C8PdJ59pMLr' }],
    ['https://www.threads.com/@soren.iverson/post/C8PdJ59pMLr/', { user: 'soren.iverson', code: 'C8PdJ59pMLr' }],
    ['https://threads.com/@zuck/post/CzecNnZPaxr?xmt=AQGz7x&slof=1', { user: 'zuck', code: 'CzecNnZPaxr' }],
    ['https://www.threads.net/@zuck/post/CzecNnZPaxr', { user: 'zuck', code: 'CzecNnZPaxr' }],
    ['https://threads.net/@zuck/post/CzecNnZPaxr#replies', { user: 'zuck', code: 'CzecNnZPaxr' }],
    ['https://WWW.Threads.NET/@snazzahguy/post/C8Q7UZDseWz/media', { user: 'snazzahguy', code: 'C8Q7UZDseWz' }],
    ['https://www.threads.com/@snazzahguy/post/C8Q7UZDseWz/media/', { user: 'snazzahguy', code: 'C8Q7UZDseWz' }],
    ['http://www.threads.com/@a_b.c/post/Dc3y-dKvO5A', { user: 'a_b.c', code: 'Dc3y-dKvO5A' }],
  ])('takes %s', (url, params) => {
    expect(threads.match(new URL(url))).toEqual(params);
  });

  it.each([
    // Look-alike and unrelated hosts.
    'https://evil-threads.com/@zuck/post/CzecNnZPaxr',
    'https://threads.com.evil.net/@zuck/post/CzecNnZPaxr',
    'https://mythreads.net/@zuck/post/CzecNnZPaxr',
    'https://threads.org/@zuck/post/CzecNnZPaxr',
    'https://www.instagram.com/@zuck/post/CzecNnZPaxr',
    'ftp://www.threads.com/@zuck/post/CzecNnZPaxr',
    // Pages that are not a post.
    'https://www.threads.com/',
    'https://www.threads.com/@zuck',
    'https://www.threads.com/@zuck/replies',
    'https://www.threads.com/@zuck/post',
    'https://www.threads.com/search?q=cats',
    'https://www.threads.com/zuck/post/CzecNnZPaxr',
    'https://www.threads.com/@zuck/post/CzecNnZPaxr/likes',
    'https://www.threads.com/@zuck/post/CzecNnZPaxr/media/extra',
    // Bad ids and names.
    'https://www.threads.com/@/post/CzecNnZPaxr',
    'https://www.threads.com/@zu%20ck/post/CzecNnZPaxr',
    'https://www.threads.com/@zuck/post/Cz.ec',
    `https://www.threads.com/@zuck/post/${'A'.repeat(65)}`,
    `https://www.threads.com/@${'a'.repeat(31)}/post/CzecNnZPaxr`,
  ])('refuses %s', (url) => {
    expect(threads.match(new URL(url))).toBeNull();
  });
});
