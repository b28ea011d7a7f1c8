import { Server, Socket } from 'node:net';
import { FetchWatch } from './fetch-watch.js';
import { ThreadPoolWatch } from './thread-pool-watch.js';

/** The process is idle: virtual time may jump. */
export const IDLE = 0;
/** Work inside the process is pending (immediates, bytes between two of its sockets): turn the loop. */
export const BUSY = -1;
/** How often (real ms) the probe looks again while real I/O holds the jump. */
const HOLD_POLL = 1;

// Resources that stand for one operation in flight, as `process.getActiveResourcesInfo()`
// names them. Anything with `Req` in its name is a request too (FSReqCallback, FSReqPromise,
// GetAddrInfoReqWrap, GetNameInfoReqWrap, QueryReqWrap, FileHandleCloseReq, CloseReq…).
const REQUESTS = new Set([
  'ConnectWrap',
  'TCPConnectWrap',
  'PipeConnectWrap',
  'WriteWrap',
  'ShutdownWrap',
  'SendWrap',
]);

function isRequest(name: string): boolean {
  return REQUESTS.has(name) || name.includes('Req');
}

interface StreamState {
  finished?: boolean;
  ended?: boolean;
}

interface LiveSocket extends Socket {
  _httpMessage?: unknown;
  server?: unknown;
  fd?: unknown;
  _isStdio?: boolean;
  _writableState?: StreamState;
  _readableState?: StreamState;
}

/** Byte counts of an outside client socket at the previous probe, and whether it awaits a reply. */
interface Traffic {
  read: number;
  written: number;
  awaiting: boolean;
}

// The process's own stdio streams are recognised without the `process.stdin` getter, which
// would create a handle (a pipe, when stdin is one) just by being read.
function isStdio(socket: LiveSocket): boolean {
  const fd = socket.fd;
  return socket._isStdio === true || fd === 0 || fd === 1 || fd === 2;
}

function plain(address: string | undefined): string | undefined {
  return address?.startsWith('::ffff:') ? address.slice(7) : address;
}

function endpoint(address: string | undefined, port: number | undefined): string {
  return `${plain(address)}|${port}`;
}

const LOOPBACK = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0', '::', '[::]']);

/** What one look at the sockets found. */
interface Scan {
  /** Bytes or an end-of-stream between two sockets of this process, or a connection not yet accepted. */
  pending: boolean;
  /** A connection to another process that waits for an answer. */
  hold: boolean;
  /** Bytes moved on connections to other processes (+1 per socket). */
  outside: number;
  /** Ports this process listens on, with their address. */
  servers: Map<number, string>;
}

/**
 * Decides whether the process is idle enough for virtual time to jump.
 *
 * - Work inside the process lets the event loop turn first (BUSY): queued immediates, bytes
 *   written by one of its sockets that its peer — another socket of this process — has not
 *   read yet, a connection to one of its own servers not accepted yet. A connection whose both
 *   ends are in this process never holds the jump by itself: a mock server that answers after
 *   a virtual delay is waiting for virtual time, not for the outside world.
 * - Real I/O with the outside holds the jump (the probe polls every millisecond): requests
 *   (fs, DNS, connect, write), thread-pool jobs and worker threads, `fetch()` and `node:http`
 *   requests to another process until their response ended, and a client socket to another
 *   process that sent bytes and has not received any since. The hold ends when that I/O is
 *   done, or when nothing moved for `holdLimit` ms of real time (a dead server).
 * - Other sockets to the outside (idle keep-alive connections, an accepted connection from
 *   another process) must have moved no byte for `threshold` ms of real time.
 */
export class IdleProbe {
  readonly #threshold: number;
  readonly #holdLimit: number;
  readonly #realNow: () => number;
  readonly #threadPool = new ThreadPoolWatch();
  readonly #fetches = new FetchWatch();
  #traffic = new WeakMap<Socket, Traffic>();
  #pipeBaseline = 0;
  #activity = -1;
  #quietSince = 0;
  #holdSignature = '';
  #holdSince = 0;

  constructor(threshold: number, holdLimit: number, realNow: () => number) {
    this.#threshold = threshold;
    this.#holdLimit = holdLimit;
    this.#realNow = realNow;
  }

  /** At install: remembers the pipes open now (stdio, a test runner's IPC channel), starts the watches. */
  start(): void {
    this.#pipeBaseline = 0;
    for (const name of process.getActiveResourcesInfo())
      if (name === 'PipeWrap') this.#pipeBaseline++;
    this.#activity = -1;
    this.#holdSignature = '';
    this.#traffic = new WeakMap();
    this.#threadPool.start();
    this.#fetches.start();
  }

  /** At uninstall. */
  stop(): void {
    this.#threadPool.stop();
    this.#fetches.stop();
  }

  /** IDLE, BUSY, or the real milliseconds to wait before asking again. */
  probe(): number {
    let immediates = 0;
    let sockets = false;
    let pipes = 0;
    let requests = 0;
    for (const name of process.getActiveResourcesInfo()) {
      if (name === 'Immediate') immediates++;
      else if (name === 'TCPSocketWrap' || name === 'UDPWrap') sockets = true;
      else if (name === 'PipeWrap') pipes++;
      else if (isRequest(name)) requests++;
    }
    if (immediates > 0) return BUSY;
    const threadPool = this.#threadPool.busy;
    const fetches = this.#fetches.size > 0;
    if (!sockets && pipes <= this.#pipeBaseline && !fetches) {
      this.#activity = -1;
      if (requests > 0 || threadPool) return this.#hold(`${requests}`);
      this.#holdSignature = '';
      return IDLE;
    }
    const scan = this.#scan();
    if (scan.pending) return BUSY;
    let hold = scan.hold || requests > 0 || threadPool;
    if (!hold && fetches) hold = this.#outsideFetch(scan.servers);
    if (hold) return this.#hold(`${requests}/${scan.outside}`);
    this.#holdSignature = '';
    return this.#quiet(scan.outside);
  }

  /** Holds the jump until the I/O signature stayed the same for `holdLimit` real ms. */
  #hold(signature: string): number {
    const now = this.#realNow();
    const full = `${signature}/${this.#threadPool.changes}/${this.#fetches.changes}`;
    if (full !== this.#holdSignature) {
      this.#holdSignature = full;
      this.#holdSince = now;
    }
    if (now - this.#holdSince >= this.#holdLimit) return IDLE;
    return Math.min(HOLD_POLL, this.#holdSince + this.#holdLimit - now);
  }

  /** The `threshold` rule for sockets that might be waiting for another process. */
  #quiet(activity: number): number {
    if (activity === 0 || this.#threshold <= 0) {
      this.#activity = -1;
      return IDLE;
    }
    const now = this.#realNow();
    if (activity !== this.#activity) {
      this.#activity = activity;
      this.#quietSince = now;
    }
    const left = this.#quietSince + this.#threshold - now;
    if (left <= 0) {
      this.#activity = -1;
      return IDLE;
    }
    return left;
  }

  #outsideFetch(servers: Map<number, string>): boolean {
    for (const origin of this.#fetches.origins()) {
      let url: URL;
      try {
        url = new URL(origin);
      } catch {
        return true;
      }
      const port = Number(url.port || (url.protocol === 'https:' ? 443 : 80));
      const listening = servers.get(port);
      const host = url.hostname;
      const own =
        listening !== undefined &&
        (LOOPBACK.has(host) ||
          host.startsWith('127.') ||
          LOOPBACK.has(listening) ||
          host === listening);
      if (!own) return true;
    }
    return false;
  }

  #scan(): Scan {
    const scan: Scan = { pending: false, hold: false, outside: 0, servers: new Map() };
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    const live: LiveSocket[] = [];
    // Keyed by `local>remote`: the accepted sockets of one server share their local endpoint.
    const byEnds = new Map<string, LiveSocket>();
    for (const handle of handles) {
      if (handle instanceof Server) {
        const address = handle.address();
        if (address !== null && typeof address === 'object')
          scan.servers.set(address.port, plain(address.address) ?? '');
        continue;
      }
      if (!(handle instanceof Socket)) continue;
      const socket = handle as LiveSocket;
      if (isStdio(socket)) continue;
      live.push(socket);
      const port = socket.localPort;
      const remotePort = socket.remotePort;
      if (port !== undefined && remotePort !== undefined) {
        const ends = `${endpoint(socket.localAddress, port)}>${endpoint(socket.remoteAddress, remotePort)}`;
        byEnds.set(ends, socket);
      }
    }
    for (const socket of live) {
      this.#look(socket, byEnds, scan);
      if (scan.pending) return scan;
    }
    return scan;
  }

  #look(socket: LiveSocket, byEnds: Map<string, LiveSocket>, scan: Scan): void {
    if (socket.connecting) {
      scan.hold = true;
      return;
    }
    const remotePort = socket.remotePort;
    if (remotePort !== undefined) {
      const local = endpoint(socket.localAddress, socket.localPort);
      const peer = byEnds.get(`${endpoint(socket.remoteAddress, remotePort)}>${local}`);
      if (peer !== undefined && peer !== socket) {
        // Both ends are ours: only bytes (or an end) not read yet by the peer count.
        if (socket.writableLength > 0 || socket.bytesWritten > peer.bytesRead) scan.pending = true;
        else if (
          socket._writableState?.finished === true &&
          peer._readableState?.ended === false &&
          !peer.destroyed
        )
          scan.pending = true;
        return;
      }
      if (socket.server === undefined || socket.server === null) {
        const address = scan.servers.get(remotePort);
        const remote = plain(socket.remoteAddress);
        if (
          address !== undefined &&
          (address === remote || address === '0.0.0.0' || address === '::')
        ) {
          scan.pending = true; // our own server has not accepted it yet
          return;
        }
      }
    }
    if (socket.writableLength > 0) {
      scan.hold = true;
      return;
    }
    const read = socket.bytesRead;
    const written = socket.bytesWritten;
    scan.outside += read + written + 1;
    const client = socket.server === undefined || socket.server === null;
    if (!client) return;
    if (socket._httpMessage) scan.hold = true; // a node:http request waiting for its response
    if (remotePort === undefined) return;
    // Other protocols: a client that sent bytes and got none since is waiting for a reply.
    const before = this.#traffic.get(socket);
    if (before === undefined) {
      this.#traffic.set(socket, { read, written, awaiting: written > 0 && read === 0 });
    } else if (read > before.read) {
      before.awaiting = false;
    } else if (written > before.written) {
      before.awaiting = true;
    }
    if (before !== undefined) {
      before.read = read;
      before.written = written;
    }
    if (this.#traffic.get(socket)!.awaiting) scan.hold = true;
  }
}
