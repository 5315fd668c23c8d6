/**
 * A throwaway PostgreSQL server for tests, from the Debian package `postgresql`: its own
 * cluster in a temporary directory, on 127.0.0.1 and a free port, trust authentication,
 * removed by `stop()`. A watchdog removes it too when the test process dies without calling
 * `stop()` (a crash, a Jest worker killed on timeout), so no server outlives the run.
 */

import { execFile, spawn } from 'node:child_process';
import {
  chownSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface PostgresServer {
  readonly host: '127.0.0.1';
  readonly port: number;
  /** The cluster's superuser. */
  readonly user: string;
  readonly database: string;
  readonly connectionString: string;
  /** Shut the server down (fast mode: open sessions are ended) and delete its files. */
  stop(): Promise<void>;
}

export interface StartPostgresOptions {
  /** The database to create; `tracespec` by default. */
  readonly database?: string;
}

const PACKAGE_ROOT = '/usr/lib/postgresql';
const SUPERUSER = 'postgres';
/** The OS account that owns the cluster when the tests run as root. */
const SERVICE_ACCOUNT = 'postgres';

/** The newest installed server's bin directory: Debian can hold several major versions. */
export function postgresBinDir(): string {
  const versions = existsSync(PACKAGE_ROOT)
    ? readdirSync(PACKAGE_ROOT)
        .filter((v) => /^\d+(\.\d+)?$/.test(v))
        .filter((v) => existsSync(join(PACKAGE_ROOT, v, 'bin/initdb')))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  if (versions.length === 0) {
    throw new Error(
      `PostgreSQL server binaries not found under ${PACKAGE_ROOT}/<version>/bin: ` +
        'install the Debian package postgresql: apt-get install -y postgresql',
    );
  }
  return join(PACKAGE_ROOT, versions[0] as string, 'bin');
}

/**
 * How to run a server binary. The server refuses to run as root, so as root every command
 * runs as the `postgres` account that the Debian package creates.
 */
function commandRunner(): { owner?: { uid: number; gid: number }; wrap(argv: string[]): string[] } {
  if (process.getuid?.() !== 0) return { wrap: (argv) => argv };
  const owner = lookupAccount(SERVICE_ACCOUNT);
  return { owner, wrap: (argv) => ['runuser', '-u', SERVICE_ACCOUNT, '--', ...argv] };
}

function lookupAccount(name: string): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith(`${name}:`));
  if (!line) {
    throw new Error(
      `running as root, and there is no "${name}" account to run PostgreSQL as (the server ` +
        'refuses root): install the Debian package postgresql, which creates it, or run the ' +
        'tests as another user',
    );
  }
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

function run(argv: string[], cwd: string): Promise<string> {
  const [file, ...args] = argv as [string, ...string[]];
  return new Promise((resolve, reject) => {
    execFile(file, args, { cwd, encoding: 'utf8', timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(new Error(`${argv.join(' ')} failed: ${error.message}\n${stderr}`));
      else resolve(stdout);
    });
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address
          ? resolve(address.port)
          : reject(new Error('no port')),
      );
    });
  });
}

/**
 * A detached shell that waits for its stdin to close, which happens however this process
 * ends, even by SIGKILL, and then stops the server and deletes the directory. Detached so
 * that a Ctrl-C sent to the terminal's process group does not kill it before it cleans up.
 */
function startWatchdog(stopArgv: string[], dir: string): () => void {
  const quote = (s: string) => `'${s.replaceAll("'", `'\\''`)}'`;
  const script = `read _; ${stopArgv.map(quote).join(' ')} >/dev/null 2>&1; rm -rf ${quote(dir)}`;
  const watchdog = spawn('sh', ['-c', script], {
    cwd: '/',
    detached: true,
    stdio: ['pipe', 'ignore', 'ignore'],
  });
  watchdog.unref();
  // The pipe must not keep Jest's worker alive.
  (watchdog.stdin as unknown as { unref(): void }).unref();
  return () => watchdog.kill('SIGKILL');
}

/** Start a fresh server; resolves once it accepts connections and the database exists. */
export async function startPostgres(options: StartPostgresOptions = {}): Promise<PostgresServer> {
  const bin = postgresBinDir();
  const runner = commandRunner();
  const database = options.database ?? 'tracespec';
  const dir = mkdtempSync(join(tmpdir(), 'tracespec-pg-'));
  if (runner.owner) chownSync(dir, runner.owner.uid, runner.owner.gid);
  const data = join(dir, 'data');
  const stopArgv = runner.wrap([join(bin, 'pg_ctl'), '-D', data, '-m', 'fast', '-w', 'stop']);
  const cancelWatchdog = startWatchdog(stopArgv, dir);
  const exec = (argv: string[]) => run(runner.wrap(argv), dir);

  try {
    // --no-sync and the settings below trade durability for speed: the cluster lives for one
    // test file.
    await exec([
      join(bin, 'initdb'),
      '-D',
      data,
      '-U',
      SUPERUSER,
      '-A',
      'trust',
      '-E',
      'UTF8',
      '--locale=C',
      '--no-sync',
    ]);
    // Trust only the private socket directory and loopback; initdb's default also trusts ::1
    // and replication.
    writeFileSync(
      join(data, 'pg_hba.conf'),
      'local all all trust\nhost all all 127.0.0.1/32 trust\n',
    );
    const port = await startServer(exec, bin, data, dir);
    await exec([
      join(bin, 'createdb'),
      '-h',
      '127.0.0.1',
      '-p',
      String(port),
      '-U',
      SUPERUSER,
      database,
    ]);

    let stopped: Promise<void> | undefined;
    return {
      host: '127.0.0.1',
      port,
      user: SUPERUSER,
      database,
      connectionString: `postgresql://${SUPERUSER}@127.0.0.1:${port}/${database}`,
      stop() {
        stopped ??= (async () => {
          cancelWatchdog();
          try {
            await run(stopArgv, dir);
          } finally {
            rmSync(dir, { recursive: true, force: true });
          }
        })();
        return stopped;
      },
    };
  } catch (error) {
    cancelWatchdog();
    await run(stopArgv, dir).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}

/** Start on a free port, retrying when another process takes the port first. */
async function startServer(
  exec: (argv: string[]) => Promise<string>,
  bin: string,
  data: string,
  dir: string,
): Promise<number> {
  const log = join(dir, 'server.log');
  for (let attempt = 1; ; attempt += 1) {
    const port = await freePort();
    const settings = [
      `-p ${port}`,
      "-c listen_addresses='127.0.0.1'",
      `-c unix_socket_directories='${dir}'`,
      '-c fsync=off',
      '-c synchronous_commit=off',
      '-c full_page_writes=off',
    ].join(' ');
    try {
      await exec([
        join(bin, 'pg_ctl'),
        '-D',
        data,
        '-l',
        log,
        '-o',
        settings,
        '-w',
        '-t',
        '30',
        'start',
      ]);
      return port;
    } catch (error) {
      const serverLog = existsSync(log) ? readFileSync(log, 'utf8') : '';
      if (attempt < 3 && /could not bind|Address already in use/i.test(serverLog)) continue;
      throw new Error(`${(error as Error).message}\nserver log:\n${serverLog}`);
    }
  }
}
