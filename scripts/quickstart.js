#!/usr/bin/env node
/*
 * `npm start`: run the API with an embedded worker against some Redis,
 * starting a private, persistent redis-server when none is reachable.
 *
 * Redis is chosen in this order:
 *   1. REDIS_URL, if set (used as is).
 *   2. SAGAFLOW_DEFAULT_REDIS_URL (default redis://127.0.0.1:6379), if it answers PING.
 *   3. A private redis-server on 127.0.0.1 (first free port from 6390), AOF on,
 *      data in <repo>/.data/redis, stopped again when the API exits.
 *
 * Plain CommonJS with only node built-ins and ioredis, so it runs before
 * (and without) any TypeScript build step.
 */
'use strict';

const { spawn } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');
const { Redis } = require('ioredis');

const REPO_ROOT = path.resolve(__dirname, '..');
const API_ENTRY = path.join(REPO_ROOT, 'apps', 'api', 'dist', 'main.js');
const DATA_DIR = path.join(REPO_ROOT, '.data', 'redis');
// Remembers a private server we started, so a leftover one (e.g. after this
// script was SIGKILLed) is reused instead of a second server sharing DATA_DIR.
const STATE_FILE = path.join(DATA_DIR, 'quickstart-redis.json');
const DEFAULT_URL = process.env.SAGAFLOW_DEFAULT_REDIS_URL || 'redis://127.0.0.1:6379';
const FIRST_PRIVATE_PORT = 6390;

// What is running, for the signal handlers (a signal may come at any stage).
const running = { server: null, api: null };

const log = (msg) => console.log(`[quickstart] ${msg}`);
const fail = (msg) => {
  console.error(`[quickstart] ${msg}`);
  process.exit(1);
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** One PING with a short timeout and no reconnects; resolves true/false, never throws. */
async function ping(url, timeoutMs = 1000) {
  const client = new Redis(url, {
    lazyConnect: true,
    connectTimeout: timeoutMs,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null, // one attempt only: no retry storm against a closed port
    enableOfflineQueue: false,
  });
  client.on('error', () => {}); // failures are reported through the promise
  let timer;
  try {
    const answer = await Promise.race([
      client.connect().then(() => client.ping()),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), timeoutMs + 200);
      }),
    ]);
    return answer === 'PONG';
  } catch {
    return false;
  } finally {
    clearTimeout(timer);
    client.disconnect();
  }
}

function findOnPath(cmd) {
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, cmd);
    try {
      fs.accessSync(candidate, fs.constants.X_OK);
      if (fs.statSync(candidate).isFile()) return candidate;
    } catch {
      /* not here */
    }
  }
  return null;
}

function portIsFree(port) {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: '127.0.0.1', exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

async function findFreePort() {
  for (let p = FIRST_PRIVATE_PORT; p < FIRST_PRIVATE_PORT + 20; p++) {
    if (await portIsFree(p)) return p;
  }
  // All of 6390-6409 taken: let the OS pick one.
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen({ port: 0, host: '127.0.0.1' }, () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/** A private server left running by an earlier run, if its pid lives and it answers. */
async function leftoverServer() {
  let state;
  try {
    state = JSON.parse(fs.readFileSync(STATE_FILE, 'utf8'));
  } catch {
    return null;
  }
  const url = `redis://127.0.0.1:${state.port}`;
  if (Number.isInteger(state.pid) && isAlive(state.pid)) {
    if (await ping(url)) return { pid: state.pid, port: state.port, url, child: null };
    fail(
      `${STATE_FILE} names redis-server pid ${state.pid} on port ${state.port}, which is alive ` +
        `but does not answer. Stop it (kill ${state.pid}) and run again.`,
    );
  }
  fs.rmSync(STATE_FILE, { force: true }); // stale: that server is gone
  return null;
}

async function startPrivateServer(redisServer) {
  fs.mkdirSync(DATA_DIR, { recursive: true });
  const port = await findFreePort();
  const url = `redis://127.0.0.1:${port}`;
  // cwd = DATA_DIR with `--dir .` so paths with spaces never reach redis' config parser.
  const child = spawn(
    redisServer,
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--dir',
      '.',
      '--appendonly',
      'yes',
      '--appendfsync',
      'everysec',
      '--maxmemory-policy',
      'noeviction', // BullMQ must never lose keys to eviction
      '--save',
      '', // AOF only, no RDB snapshots
      '--logfile',
      'redis.log',
      '--daemonize',
      'no',
    ],
    // Own process group: a terminal Ctrl-C must not kill Redis before the API
    // has shut down cleanly; we stop it ourselves afterwards.
    { cwd: DATA_DIR, stdio: 'ignore', detached: true },
  );
  running.server = { pid: child.pid, port, url, child };
  let exited = null;
  child.once('exit', (code, signal) => {
    exited = { code, signal };
  });
  child.once('error', (err) => {
    exited = { code: null, signal: null, err };
  });

  const deadline = Date.now() + 15000;
  while (Date.now() < deadline) {
    if (exited) break;
    if (await ping(url, 500)) {
      fs.writeFileSync(STATE_FILE, JSON.stringify({ pid: child.pid, port }) + '\n');
      return { pid: child.pid, port, url, child };
    }
    await sleep(100);
  }
  if (!exited) child.kill('SIGKILL');
  let tail = '';
  try {
    tail = fs.readFileSync(path.join(DATA_DIR, 'redis.log'), 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    /* no log */
  }
  fail(
    `private redis-server on port ${port} did not come up` +
      (exited ? ` (exited: ${exited.err ? exited.err.message : (exited.code ?? exited.signal)})` : ' within 15 s') +
      (tail ? `\n--- ${path.join(DATA_DIR, 'redis.log')} ---\n${tail}` : ''),
  );
}

/** SIGTERM makes redis fsync the AOF and exit; wait for that before we exit. */
async function stopPrivateServer(server) {
  if (!server || !isAlive(server.pid)) return;
  log(`stopping private redis-server (pid ${server.pid})`);
  try {
    process.kill(server.pid, 'SIGTERM');
  } catch {
    return;
  }
  const deadline = Date.now() + 15000;
  while (Date.now() < deadline && isAlive(server.pid)) {
    // A spawned child stays a zombie (still "alive" to kill(0)) until reaped.
    if (server.child && server.child.exitCode !== null) break;
    if (server.child && server.child.signalCode !== null) break;
    await sleep(100);
  }
  fs.rmSync(STATE_FILE, { force: true });
}

async function chooseRedis() {
  if (process.env.REDIS_URL) {
    log(`using REDIS_URL from the environment`);
    return { url: process.env.REDIS_URL, server: null };
  }
  if (await ping(DEFAULT_URL)) {
    log(`Redis answers at ${DEFAULT_URL}, using it`);
    return { url: DEFAULT_URL, server: null };
  }
  const leftover = await leftoverServer();
  if (leftover) {
    running.server = leftover;
    log(`reusing private redis-server left running on ${leftover.url} (pid ${leftover.pid}); data in ${DATA_DIR}`);
    return { url: leftover.url, server: leftover };
  }
  const redisServer = findOnPath('redis-server');
  if (!redisServer) {
    fail(
      `no Redis answers at ${DEFAULT_URL} and redis-server is not on PATH.\n` +
        `Get one, then run again:\n` +
        `  docker compose up -d redis        # Redis in a container, on localhost:6379\n` +
        `  apt-get install redis-server      # or your OS's package (brew install redis, ...)\n` +
        `or point at an existing server: REDIS_URL=redis://host:6379 npm start`,
    );
  }
  log(`no Redis answers at ${DEFAULT_URL}; starting a private redis-server`);
  const server = await startPrivateServer(redisServer); // sets running.server
  log(
    `private redis-server started on ${server.url} (pid ${server.pid}); ` +
      `data persists (AOF) in ${DATA_DIR}, log in ${path.join(DATA_DIR, 'redis.log')}`,
  );
  return { url: server.url, server };
}

async function main() {
  if (!fs.existsSync(API_ENTRY)) {
    fail(`${path.relative(REPO_ROOT, API_ENTRY)} not found: run \`npm run build\` first.`);
  }

  let signalsSeen = 0;
  const onSignal = async (sig) => {
    signalsSeen += 1;
    const { api } = running;
    if (!api) {
      // Still choosing/starting Redis: don't leave a private server behind.
      await stopPrivateServer(running.server);
      process.exit(128 + (os.constants.signals[sig] || 0));
    }
    if (api.exitCode !== null || api.signalCode !== null) return;
    // Third signal: the user insists, stop waiting for a graceful shutdown.
    const toSend = signalsSeen >= 3 ? 'SIGKILL' : sig;
    if (toSend === 'SIGKILL') log('killing the API (SIGKILL)');
    try {
      api.kill(toSend);
    } catch {
      /* already gone */
    }
  };
  for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(sig, () => void onSignal(sig));

  const { url } = await chooseRedis();

  const api = spawn(process.execPath, [API_ENTRY], {
    cwd: REPO_ROOT,
    env: { ...process.env, REDIS_URL: url, SAGAFLOW_EMBEDDED_WORKER: 'true' },
    stdio: 'inherit',
    // Own process group, so a terminal Ctrl-C reaches the API once (forwarded
    // by us), not twice (once from the terminal, once from us).
    detached: true,
  });
  running.api = api;

  const exitCode = await new Promise((resolve) => {
    api.once('error', (err) => {
      console.error(`[quickstart] could not start the API: ${err.message}`);
      resolve(1);
    });
    api.once('exit', (code, signal) => {
      resolve(code !== null ? code : 128 + (os.constants.signals[signal] || 0));
    });
  });

  await stopPrivateServer(running.server);
  process.exit(exitCode);
}

main().catch(async (err) => {
  console.error(`[quickstart] ${err && err.stack ? err.stack : err}`);
  await stopPrivateServer(running.server).catch(() => {});
  process.exit(1);
});
