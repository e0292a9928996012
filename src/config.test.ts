import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('has the documented defaults', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      port: 8080,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      database: { kind: 'sqlite', file: path.resolve('./data/intake.sqlite') },
      publicUrl: 'http://localhost:8080',
      maxFileBytes: 500 * 1024 * 1024,
      rateLimitPerMinute: 60,
      urlTtlSeconds: 3600,
      fetch: {
        allowedNetworks: [],
        allowedPorts: [80, 443, 8080, 8443],
        dnsServers: [],
        timeoutSeconds: 600,
        idleTimeoutSeconds: 30,
        maxRedirects: 5,
        caFile: undefined,
        perRequestConcurrency: 4,
        processConcurrency: 16,
      },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('reads lists, ports and databases', () => {
    const config = loadConfig({
      DATABASE_URL: 'postgres://u@db:5432/intake',
      INTAKE_DATABASE_SCHEMA: 'media',
      INTAKE_FETCH_ALLOWED_NETWORKS: ' 10.1.0.0/16 , fd00::/8 ',
      INTAKE_FETCH_ALLOWED_PORTS: '*',
      INTAKE_DNS_SERVERS: '127.0.0.1:5353,[::1]:53',
      INTAKE_PUBLIC_URL: 'https://media.example.com/',
    });
    expect(config.database).toEqual({ kind: 'postgres', url: 'postgres://u@db:5432/intake', schema: 'media' });
    expect(config.fetch.allowedNetworks).toEqual(['10.1.0.0/16', 'fd00::/8']);
    expect(config.fetch.allowedPorts).toBe('*');
    expect(config.fetch.dnsServers).toEqual(['127.0.0.1:5353', '[::1]:53']);
    expect(config.publicUrl).toBe('https://media.example.com');
  });

  it('reports every problem at once, naming each variable', () => {
    const missing = path.join(os.tmpdir(), 'intake-no-such-ca.pem');
    fs.rmSync(missing, { force: true });
    let error: unknown;
    try {
      loadConfig({
        PORT: 'abc',
        INTAKE_MAX_FILE_BYTES: '-1',
        INTAKE_FETCH_ALLOWED_PORTS: '22,http',
        INTAKE_FETCH_ALLOWED_NETWORKS: '10.0.0.1/8',
        INTAKE_DNS_SERVERS: 'dns.example.com',
        INTAKE_FETCH_CA_FILE: missing,
        DATABASE_URL: 'mysql://x',
        INTAKE_RESOLVERS_DISABLED: 'bluesky,myspace',
        INTAKE_PEXELS_API_KEY: 'two words',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const named = (error as ConfigError).problems.map((problem) => problem.split(':')[0]);
    expect(new Set(named)).toEqual(
      new Set([
        'PORT',
        'INTAKE_MAX_FILE_BYTES',
        'INTAKE_FETCH_ALLOWED_PORTS',
        'INTAKE_FETCH_ALLOWED_NETWORKS',
        'INTAKE_DNS_SERVERS',
        'INTAKE_FETCH_CA_FILE',
        'DATABASE_URL',
        'INTAKE_RESOLVERS_DISABLED',
        'INTAKE_PEXELS_API_KEY',
      ]),
    );
    expect((error as ConfigError).problems.find((p) => p.startsWith('INTAKE_RESOLVERS_DISABLED'))).toMatch(/"myspace" is not a resolver/);
  });

  it('reads resolver keys (blank is none, a pasted newline is dropped) and the resolvers turned off', () => {
    const config = loadConfig({
      INTAKE_UNSPLASH_ACCESS_KEY: 'abc123\n',
      INTAKE_PEXELS_API_KEY: '',
      INTAKE_RESOLVERS_DISABLED: 'bluesky, unsplash',
    });
    expect(config.resolvers.keys.unsplashAccessKey).toBe('abc123');
    expect(config.resolvers.keys.pexelsApiKey).toBeUndefined();
    expect(config.resolvers.keys.imgurClientId).toBeUndefined();
    expect(config.resolvers.disabled).toEqual(['bluesky', 'unsplash']);
    expect(loadConfig({}).resolvers.disabled).toEqual([]);
  });
});
