import { describe, expect, it } from 'vitest';
import { googleDrive } from './google-drive.resolver.js';

const ID = '1aBcD3fGhIjKlMnOpQrStUvWxYz012345';
const OLD = '0ByeS4oOUV-49Zzh4R1J6R09zazQ';

describe('googleDrive.match: file links', () => {
  it.each<[string, string, string | null]>([
    [`https://drive.google.com/file/d/${ID}/view`, ID, null],
    [`https://drive.google.com/file/d/${ID}/view?usp=sharing`, ID, null],
    [`https://drive.google.com/file/d/${ID}/view/`, ID, null],
    [`https://drive.google.com/file/d/${ID}`, ID, null],
    [`https://drive.google.com/file/d/${OLD}/edit?pli=1`, OLD, null],
    [`https://drive.google.com/file/d/${ID}/preview`, ID, null],
    [`https://drive.google.com/file/u/0/d/${ID}/view`, ID, null],
    [`https://drive.google.com/open?id=${ID}`, ID, null],
    [`https://drive.google.com/uc?id=${ID}&export=download`, ID, null],
    [`https://drive.google.com/u/1/uc?id=${ID}&export=download`, ID, null],
    [`https://docs.google.com/uc?export=download&id=${ID}`, ID, null],
    [`https://docs.google.com/file/d/${OLD}/edit`, OLD, null],
    [`https://drive.usercontent.google.com/download?id=${ID}&export=download&authuser=0`, ID, null],
    [`https://drive.usercontent.google.com/uc?id=${ID}`, ID, null],
    [`https://DRIVE.Google.COM/file/d/${ID}/view`, ID, null],
    [`http://drive.google.com/file/d/${ID}/view#heading`, ID, null],
    [`https://drive.google.com/file/d/${OLD}/view?resourcekey=0-Xb3kP9qL2mN7vR1sT4uW6y`, OLD, '0-Xb3kP9qL2mN7vR1sT4uW6y'],
    // A resource key that is not one is dropped, not sent.
    [`https://drive.google.com/file/d/${ID}/view?resourcekey=%3Cx%3E`, ID, null],
  ])('%s', (url, id, resourceKey) => {
    expect(googleDrive.match(new URL(url))).toEqual({ kind: 'file', id, resourceKey });
  });
});

describe('googleDrive.match: folder links are taken (to be refused clearly)', () => {
  it.each([
    `https://drive.google.com/drive/folders/${ID}`,
    `https://drive.google.com/drive/folders/${ID}?usp=sharing`,
    `https://drive.google.com/drive/u/0/folders/${ID}`,
    `https://drive.google.com/drive/mobile/folders/${ID}`,
    `https://drive.google.com/folderview?id=${ID}`,
    `https://drive.google.com/embeddedfolderview?id=${ID}#grid`,
  ])('%s', (url) => {
    expect(googleDrive.match(new URL(url))).toEqual({ kind: 'folder', id: ID });
  });
});

describe('googleDrive.match: refused', () => {
  it.each([
    `https://drive.google.com.evil.net/file/d/${ID}/view`,
    `https://evil-drive.google.com.example/file/d/${ID}/view`,
    `https://drivegoogle.com/file/d/${ID}/view`,
    `https://google.com/file/d/${ID}/view`,
    `https://drive.googleusercontent.com/download?id=${ID}`,
    'https://drive.google.com/',
    'https://drive.google.com/drive/my-drive',
    'https://drive.google.com/drive/home',
    `https://docs.google.com/document/d/${ID}/edit`,
    `https://docs.google.com/spreadsheets/d/${ID}/edit`,
    `https://docs.google.com/drive/folders/${ID}`,
    `https://drive.usercontent.google.com/file/d/${ID}/view`,
    'https://drive.google.com/file/d/short/view',
    `https://drive.google.com/file/d/${ID}!/view`,
    `https://drive.google.com/file/d/${ID}/view/extra`,
    'https://drive.google.com/open?id=short',
    'https://drive.google.com/uc?export=download',
    `https://drive.google.com/drive/folders/${ID}/extra`,
    `ftp://drive.google.com/file/d/${ID}/view`,
  ])('%s', (url) => {
    expect(googleDrive.match(new URL(url))).toBeNull();
  });
});
