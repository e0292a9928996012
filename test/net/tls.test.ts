import type { AddressInfo } from 'node:net';
import https from 'node:https';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { testCa, untrustedCert, type KeyAndCert } from '../helpers/net-tls.js';

const servers: https.Server[] = [];
afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((server) => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    }),
  );
});

async function serve(leaf: KeyAndCert): Promise<number> {
  const server = https.createServer({ ...leaf }, (_req, res) => res.end('secure hello'));
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as AddressInfo).port;
}

/** GET / over TLS to 127.0.0.1, presenting `servername` (SNI and the name checked). */
function get(port: number, options: { servername: string; ca?: string }): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get({ host: '127.0.0.1', port, path: '/', agent: false, ...options }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

describe('test CA', () => {
  it('issues leaves a client trusts when given the CA', async () => {
    const ca = testCa();
    const port = await serve(ca.issue(['media.example.test']));
    expect(await get(port, { servername: 'media.example.test', ca: ca.caPem })).toBe('secure hello');
  });

  it('is refused without the CA', async () => {
    const port = await serve(testCa().issue(['media.example.test']));
    await expect(get(port, { servername: 'media.example.test' })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('is refused for a host name the leaf does not name', async () => {
    const ca = testCa();
    const port = await serve(ca.issue(['media.example.test']));
    await expect(get(port, { servername: 'other.example.test', ca: ca.caPem })).rejects.toMatchObject({
      code: 'ERR_TLS_CERT_ALTNAME_INVALID',
    });
  });

  it('refuses a leaf from the untrusted CA even with the test CA given', async () => {
    const port = await serve(untrustedCert(['media.example.test']));
    await expect(get(port, { servername: 'media.example.test', ca: testCa().caPem })).rejects.toMatchObject({
      code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
    });
  });

  it('puts every name, and IP addresses, into subjectAltName', () => {
    const leaf = testCa().issue(['a.example.test', '*.b.example.test', '127.0.0.2']);
    const cert = new X509Certificate(leaf.cert);
    expect(cert.subjectAltName).toBe('DNS:a.example.test, DNS:*.b.example.test, IP Address:127.0.0.2');
    expect(cert.checkIssued(new X509Certificate(testCa().caPem))).toBe(true);
    expect(cert.checkPrivateKey(createPrivateKey(leaf.key))).toBe(true);
    expect(cert.ca).toBe(false);
  });

  it('caches: the same CA per process and the same leaf per name list', () => {
    expect(testCa()).toBe(testCa());
    expect(testCa().issue(['media.example.test'])).toBe(testCa().issue(['media.example.test']));
    expect(untrustedCert(['media.example.test']).cert).not.toBe(testCa().issue(['media.example.test']).cert);
  });
});
