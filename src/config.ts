import path from 'node:path';
import { z } from 'zod';

const MB = 1024 * 1024;

const intFrom = (fallback: number, min = 0) =>
  z.coerce.number().int().min(min).default(fallback);

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
  });
}
