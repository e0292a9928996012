import { generateKeyPairSync, randomBytes } from 'node:crypto';
import net from 'node:net';
import forge from 'node-forge';

/**
 * A test certificate authority made at run time, so no key or certificate is ever checked in
 * and nothing expires in the repository. Keys come from Node's native RSA (fast); node-forge only
 * builds and signs the X.509 structures, which Node cannot do itself.
 *
 * Everything is cached per process: one CA, one untrusted CA, one leaf per host-name list.
 */

export interface KeyAndCert {
  /** PEM private key (PKCS#8). */
  readonly key: string;
  /** PEM leaf certificate, signed by its CA. */
  readonly cert: string;
}

export interface TestCa {
  /** PEM certificate of the CA: what a client passes as `ca` to trust the leaves. */
  readonly caPem: string;
  /** A leaf for these DNS names or IP addresses (all go into subjectAltName). */
  issue(hostnames: readonly string[]): KeyAndCert;
}

interface Authority extends TestCa {
  readonly cert: forge.pki.Certificate;
  readonly key: forge.pki.rsa.PrivateKey;
}

const DAY = 24 * 3600 * 1000;

function rsaKeys(): { privatePem: string; publicKey: forge.pki.rsa.PublicKey; privateKey: forge.pki.rsa.PrivateKey } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  return {
    privatePem: privateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    privateKey: forge.pki.privateKeyFromPem(privateKey),
  };
}

/** A fresh certificate with a random positive serial, valid from yesterday (clock skew) for a year. */
function blankCertificate(publicKey: forge.pki.rsa.PublicKey): forge.pki.Certificate {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  // The top bit is cleared so the DER integer stays positive, as RFC 5280 requires.
  cert.serialNumber = (randomBytes(16)[0]! & 0x7f).toString(16).padStart(2, '0') + randomBytes(15).toString('hex');
  cert.validity.notBefore = new Date(Date.now() - DAY);
  cert.validity.notAfter = new Date(Date.now() + 365 * DAY);
  return cert;
}

function createAuthority(commonName: string): Authority {
  const keys = rsaKeys();
  const cert = blankCertificate(keys.publicKey);
  const subject = [{ name: 'commonName', value: commonName }, { name: 'organizationName', value: 'Intake tests' }];
  cert.setSubject(subject);
  cert.setIssuer(subject);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());

  // One leaf key for every leaf of this CA: generating a key per leaf costs time and proves nothing.
  const leafKeys = rsaKeys();
  const leaves = new Map<string, KeyAndCert>();
  const authority: Authority = {
    cert,
    key: keys.privateKey,
    caPem: forge.pki.certificateToPem(cert),
    issue(hostnames) {
      if (hostnames.length === 0) throw new Error('test CA: a leaf needs at least one host name');
      const cacheKey = hostnames.join('\n');
      const cached = leaves.get(cacheKey);
      if (cached) return cached;
      const leaf = blankCertificate(leafKeys.publicKey);
      leaf.setSubject([{ name: 'commonName', value: hostnames[0]! }]);
      leaf.setIssuer(cert.subject.attributes);
      leaf.setExtensions([
        { name: 'basicConstraints', cA: false, critical: true },
        { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
        { name: 'extKeyUsage', serverAuth: true },
        // Clients match host names against subjectAltName only; the CN above is for humans.
        // Type 2 is a dNSName, type 7 an iPAddress (so `https://127.0.0.2/` can be tested too).
        { name: 'subjectAltName', altNames: hostnames.map((h) => (net.isIP(h) ? { type: 7, ip: h } : { type: 2, value: h })) },
        { name: 'subjectKeyIdentifier' },
        { name: 'authorityKeyIdentifier', keyIdentifier: cert.generateSubjectKeyIdentifier().getBytes() },
      ]);
      leaf.sign(keys.privateKey, forge.md.sha256.create());
      const issued = { key: leafKeys.privatePem, cert: forge.pki.certificateToPem(leaf) };
      leaves.set(cacheKey, issued);
      return issued;
    },
  };
  return authority;
}

let trusted: Authority | undefined;
let untrusted: Authority | undefined;

/** The CA tests trust: pass `caPem` to the service (or a client) and serve `issue([...])` leaves. */
export function testCa(): TestCa {
  trusted ??= createAuthority('Intake Test CA');
  return trusted;
}

/**
 * A leaf for the same names from a different CA that nobody trusts: for "a certificate the
 * client must refuse" tests. Valid in every other respect, so only the chain is wrong.
 */
export function untrustedCert(hostnames: readonly string[]): KeyAndCert {
  untrusted ??= createAuthority('Intake Untrusted CA');
  return untrusted.issue(hostnames);
}
