import pg from 'pg';

/**
 * Before a PostgreSQL run: drop the schemas of test apps an interrupted earlier run could not
 * close. A schema is named `t_<pid>_<base-36 start time>_<random>` (`cli_…` for CLI tests); only those over an hour old
 * go, so a run in progress elsewhere keeps its own.
 */
export default async function setup(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url || !/^postgres(ql)?:/.test(url)) return;
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ nspname: string }>("select nspname from pg_namespace where nspname ~ '^(t|cli)_[0-9]+_[0-9a-z]+_'");
    const cutoff = Date.now() - 3600_000;
    for (const { nspname } of rows) {
      const started = parseInt(nspname.split('_')[2] ?? '', 36);
      if (Number.isFinite(started) && started < cutoff) await client.query(`drop schema if exists "${nspname}" cascade`);
    }
  } finally {
    await client.end();
  }
}
