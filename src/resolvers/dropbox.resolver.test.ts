import { describe, expect, it } from 'vitest';
import { dropbox } from './dropbox.resolver.js';

const SCL = 'r2kd2skcy5ylbbta5y1pz';
const KEY = 'wcdgqangn7t3lnmmv6li9mu9h';

describe('dropbox.match: file links become their dl=1 download', () => {
  it.each<[string, string, string]>([
    [`https://www.dropbox.com/s/nelirfsxnmcfbfh/clip.mp4?dl=0`, 'nelirfsxnmcfbfh', 'https://www.dropbox.com/s/nelirfsxnmcfbfh/clip.mp4?dl=1'],
    ['https://www.dropbox.com/s/nelirfsxnmcfbfh', 'nelirfsxnmcfbfh', 'https://www.dropbox.com/s/nelirfsxnmcfbfh?dl=1'],
    ['https://www.dropbox.com/s/nelirfsxnmcfbfh/clip.mp4/', 'nelirfsxnmcfbfh', 'https://www.dropbox.com/s/nelirfsxnmcfbfh/clip.mp4?dl=1'],
    [`https://www.dropbox.com/scl/fi/${SCL}/DJI_0003.MP4?dl=0&rlkey=${KEY}`, SCL, `https://www.dropbox.com/scl/fi/${SCL}/DJI_0003.MP4?rlkey=${KEY}&dl=1`],
    // Every other parameter kept, once, in order; dl set once; raw (the other mode) dropped.
    [`https://www.dropbox.com/scl/fi/${SCL}/a.jpg?rlkey=${KEY}&st=ab12&dl=0&dl=0&raw=1&rlkey=${KEY}`, SCL, `https://www.dropbox.com/scl/fi/${SCL}/a.jpg?rlkey=${KEY}&st=ab12&dl=1`],
    [`https://www.dropbox.com/e/scl/fi/${SCL}/DJI_0003.MP4?rlkey=${KEY}`, SCL, `https://www.dropbox.com/scl/fi/${SCL}/DJI_0003.MP4?rlkey=${KEY}&dl=1`],
    // Alternate hosts: dropbox.com and dl.dropbox.com go through www; the content host stays.
    [`https://dropbox.com/s/nelirfsxnmcfbfh/a%20b.png`, 'nelirfsxnmcfbfh', 'https://www.dropbox.com/s/nelirfsxnmcfbfh/a%20b.png?dl=1'],
    [`https://dl.dropbox.com/scl/fi/${SCL}/a.png?rlkey=${KEY}&dl=0`, SCL, `https://www.dropbox.com/scl/fi/${SCL}/a.png?rlkey=${KEY}&dl=1`],
    [`https://dl.dropboxusercontent.com/s/nelirfsxnmcfbfh/a.png`, 'nelirfsxnmcfbfh', 'https://dl.dropboxusercontent.com/s/nelirfsxnmcfbfh/a.png?dl=1'],
    // Mixed-case host, http and a fragment: https, no fragment.
    [`http://WWW.DropBox.com/s/nelirfsxnmcfbfh/a.png?dl=0#top`, 'nelirfsxnmcfbfh', 'https://www.dropbox.com/s/nelirfsxnmcfbfh/a.png?dl=1'],
    [`https://m.dropbox.com/s/nelirfsxnmcfbfh/a.png`, 'nelirfsxnmcfbfh', 'https://www.dropbox.com/s/nelirfsxnmcfbfh/a.png?dl=1'],
  ])('%s', (url, id, download) => {
    expect(dropbox.match(new URL(url))).toEqual({ kind: 'file', id, download });
  });
});

describe('dropbox.match: folder links are taken (to be refused clearly)', () => {
  it.each([
    'https://www.dropbox.com/sh/2mgpiuq7kv8nqdf/AABy-fW4dkydT4GmWi2mdOUDa?dl=0&preview=Drone+Shot.mp4',
    `https://www.dropbox.com/scl/fo/${SCL}/AAB8kP2mQ7vX9?rlkey=${KEY}&dl=0`,
    `https://www.dropbox.com/scl/fo/${SCL}/AAB8kP2mQ7vX9/Holiday?rlkey=${KEY}`,
  ])('%s', (url) => {
    expect(dropbox.match(new URL(url))).toEqual({ kind: 'folder' });
  });
});

describe('dropbox.match: refused', () => {
  it.each([
    'https://evil-dropbox.com/s/nelirfsxnmcfbfh/a.png',
    'https://dropbox.com.evil.net/s/nelirfsxnmcfbfh/a.png',
    'https://notdropbox.com/s/nelirfsxnmcfbfh/a.png',
    'https://uc7f3a9e.dl.dropboxusercontent.com/cd/0/get/AbC/file?dl=1',
    'https://www.dropbox.com/',
    'https://www.dropbox.com/home/Photos',
    'https://www.dropbox.com/preview/Photos/a.jpg',
    'https://www.dropbox.com/login',
    'https://www.dropbox.com/s/',
    'https://www.dropbox.com/s/ab/a.png',
    'https://www.dropbox.com/s/nelirfsxnmcfbfh/a/b.png',
    'https://www.dropbox.com/s/bad%20id!/a.png',
    `https://www.dropbox.com/scl/fi/${SCL}/a/b.png?rlkey=${KEY}`,
    `https://www.dropbox.com/scl/xx/${SCL}/a.png`,
    'ftp://www.dropbox.com/s/nelirfsxnmcfbfh/a.png',
  ])('%s', (url) => {
    expect(dropbox.match(new URL(url))).toBeNull();
  });
});
