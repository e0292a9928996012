import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { cidrProblems } from './net/address-policy.js';
import type { OutboundConfig } from './net/http-client.js';
import { RESOLVERS } from './resolvers/registry.js';
import type { ResolverKeys } from './resolvers/types.js';

const MB = 1024 * 1024;

const intFrom = (fallback: number, min = 0) =>
  z.coerce.number().int().min(min).default(fallback);

const list = z
  .string()
  .default('')
  .transform((value) =>
    value
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item.length > 0),
  );

/** An optional key: unset and empty both mean none; surrounding blanks (a pasted newline) are dropped. */
const secret = z
  .string()
  .optional()
  .transform((value) => (value?.trim() ? value.trim() : undefined))
  .refine((value) => value === undefined || /^[\x21-\x7e]+$/.test(value), 'must be printable ASCII without spaces');

function isReadableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.R_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

/** Every environment variable Intake reads, with its default. README lists each one. */
const envSchema = z.object({
  PORT: intFrom(8080, 0).refine((port) => port <= 65535, 'must be a port number'),
  HOST: z.string().min(1).default('0.0.0.0'),
  INTAKE_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: z
    .string()
    .optional()
    .refine(
      (url) => url === undefined || url === '' || /^(postgres|postgresql|sqlite):/.test(url),
      'must start with postgres://, postgresql:// or sqlite:',
    ),
  INTAKE_DATABASE_SCHEMA: z
    .string()
    .regex(/^[a-z_][a-z0-9_]*$/, 'must be a lower-case SQL identifier')
    .optional(),
  INTAKE_PUBLIC_URL: z.url({ protocol: /^https?$/ }).optional(),
  INTAKE_MAX_FILE_BYTES: intFrom(500 * MB, 1),
  INTAKE_MAX_IMAGE_PIXELS: intFrom(268_402_689, 1),
  INTAKE_RATE_LIMIT_PER_MINUTE: intFrom(60, 1),
  INTAKE_URL_TTL_SECONDS: intFrom(3600, 1),
  INTAKE_SIGNING_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  INTAKE_SHUTDOWN_GRACE_SECONDS: intFrom(25, 0),
  INTAKE_ADMIN_EMAIL: z.email().default('owner@localhost'),
  INTAKE_TRUST_PROXY: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
  INTAKE_FETCH_ALLOWED_NETWORKS: list.superRefine((cidrs, ctx) => {
    for (const problem of cidrProblems(cidrs)) ctx.addIssue({ code: 'custom', message: problem });
  }),
  INTAKE_FETCH_ALLOWED_PORTS: z
    .string()
    .default('80,443,8080,8443')
    .transform((value, ctx): readonly number[] | '*' => {
      if (value.trim() === '*') return '*';
      const ports = value.split(',').map((p) => p.trim()).filter(Boolean).map(Number);
      if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
        ctx.addIssue({ code: 'custom', message: 'must be "*" or a comma-separated list of ports' });
      }
      return Object.freeze(ports);
    }),
  INTAKE_DNS_SERVERS: list.superRefine((servers, ctx) => {
    for (const server of servers) {
      if (!/^(\[[0-9a-fA-F:.]+\]|[0-9.]+)(:\d{1,5})?$/.test(server)) {
        ctx.addIssue({ code: 'custom', message: `${JSON.stringify(server)} is not an IP address with an optional port` });
      }
    }
  }),
  INTAKE_FETCH_TIMEOUT_SECONDS: intFrom(600, 1),
  INTAKE_FETCH_IDLE_TIMEOUT_SECONDS: intFrom(30, 1),
  INTAKE_FETCH_MAX_REDIRECTS: intFrom(5, 0),
  INTAKE_FETCH_CA_FILE: z
    .string()
    .min(1)
    .optional()
    .refine((file) => file === undefined || isReadableFile(file), 'must name a readable PEM file'),
  INTAKE_IMPORT_CONCURRENCY: intFrom(4, 1),
  INTAKE_FETCH_CONCURRENCY: intFrom(16, 1),
  INTAKE_RESOLVERS_DISABLED: list.superRefine((ids, ctx) => {
    const known = new Set(RESOLVERS.map((resolver) => resolver.id));
    for (const id of ids) {
      if (!known.has(id)) ctx.addIssue({ code: 'custom', message: `${JSON.stringify(id)} is not a resolver (known: ${[...known].join(', ')})` });
    }
  }),
  INTAKE_UNSPLASH_ACCESS_KEY: secret,
  INTAKE_PEXELS_API_KEY: secret,
  INTAKE_PIXABAY_API_KEY: secret,
  INTAKE_GIPHY_API_KEY: secret,
  INTAKE_IMGUR_CLIENT_ID: secret,
  INTAKE_TUMBLR_API_KEY: secret,
  INTAKE_FLICKR_API_KEY: secret,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type DatabaseConfig =
  | { kind: 'sqlite'; file: string }
  | { kind: 'postgres'; url: string; schema: string };

export interface Config {
  readonly port: number;
  readonly host: string;
  readonly dataDir: string;
  readonly database: DatabaseConfig;
  /** Base URL of links Intake hands out, without a trailing slash. */
  readonly publicUrl: string;
  readonly maxFileBytes: number;
  readonly maxImagePixels: number;
  readonly rateLimitPerMinute: number;
  readonly urlTtlSeconds: number;
  /** When unset, a secret is generated once and kept in the database (shared by all instances). */
  readonly signingSecret: string | undefined;
  readonly shutdownGraceSeconds: number;
  readonly adminEmail: string;
  readonly trustProxy: boolean;
  readonly logLevel: string;
  readonly fetch: OutboundConfig & {
    /** Items of one import request fetched at once. */
    readonly perRequestConcurrency: number;
    /** Items fetched at once by the whole process. */
    readonly processConcurrency: number;
  };
  readonly resolvers: {
    /** Resolver ids turned off: their URLs are treated like any other link. */
    readonly disabled: readonly string[];
    readonly keys: ResolverKeys;
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function resolveDatabase(
  url: string | undefined,
  schema: string | undefined,
  dataDir: string,
): DatabaseConfig {
  if (url && /^postgres(ql)?:/.test(url)) return { kind: 'postgres', url, schema: schema ?? 'public' };
  if (url && url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length).replace(/^\/\//, '');
    return { kind: 'sqlite', file: path.resolve(file) };
  }
  return { kind: 'sqlite', file: path.join(dataDir, 'intake.sqlite') };
}

/** Parses the environment once; reports every problem together. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const problems: string[] = [];
    for (const issue of parsed.error.issues) {
      problems.push(`${issue.path.join('.')}: ${issue.message}`);
    }
    throw new ConfigError(problems);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.INTAKE_DATA_DIR);
  const publicUrl = (e.INTAKE_PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, '');
  return Object.freeze({
    port: e.PORT,
    host: e.HOST,
    dataDir,
    database: Object.freeze(resolveDatabase(e.DATABASE_URL, e.INTAKE_DATABASE_SCHEMA, dataDir)),
    publicUrl,
    maxFileBytes: e.INTAKE_MAX_FILE_BYTES,
    maxImagePixels: e.INTAKE_MAX_IMAGE_PIXELS,
    rateLimitPerMinute: e.INTAKE_RATE_LIMIT_PER_MINUTE,
    urlTtlSeconds: e.INTAKE_URL_TTL_SECONDS,
    signingSecret: e.INTAKE_SIGNING_SECRET,
    shutdownGraceSeconds: e.INTAKE_SHUTDOWN_GRACE_SECONDS,
    adminEmail: e.INTAKE_ADMIN_EMAIL,
    trustProxy: e.INTAKE_TRUST_PROXY,
    logLevel: e.LOG_LEVEL,
    fetch: Object.freeze({
      allowedNetworks: Object.freeze(e.INTAKE_FETCH_ALLOWED_NETWORKS),
      allowedPorts: e.INTAKE_FETCH_ALLOWED_PORTS,
      dnsServers: Object.freeze(e.INTAKE_DNS_SERVERS),
      timeoutSeconds: e.INTAKE_FETCH_TIMEOUT_SECONDS,
      idleTimeoutSeconds: e.INTAKE_FETCH_IDLE_TIMEOUT_SECONDS,
      maxRedirects: e.INTAKE_FETCH_MAX_REDIRECTS,
      caFile: e.INTAKE_FETCH_CA_FILE,
      perRequestConcurrency: e.INTAKE_IMPORT_CONCURRENCY,
      processConcurrency: e.INTAKE_FETCH_CONCURRENCY,
    }),
    resolvers: Object.freeze({
      disabled: Object.freeze(e.INTAKE_RESOLVERS_DISABLED),
      keys: Object.freeze({
        unsplashAccessKey: e.INTAKE_UNSPLASH_ACCESS_KEY,
        pexelsApiKey: e.INTAKE_PEXELS_API_KEY,
        pixabayApiKey: e.INTAKE_PIXABAY_API_KEY,
        giphyApiKey: e.INTAKE_GIPHY_API_KEY,
        imgurClientId: e.INTAKE_IMGUR_CLIENT_ID,
        tumblrApiKey: e.INTAKE_TUMBLR_API_KEY,
        flickrApiKey: e.INTAKE_FLICKR_API_KEY,
      }),
    }),
  });
}
