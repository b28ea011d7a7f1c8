import { Socket } from 'node:net';

/** The process is idle: virtual time may jump. */
export const IDLE = 0;
/** Immediates are queued: look again after one turn of the event loop. */
export const BUSY = -1;
/** A real request (fs, DNS, connect, write…) is in flight: look again shortly. */
export const BLOCKED = -2;

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

interface HttpSocket extends Socket {
  _httpMessage?: unknown;
}

/**
 * Decides whether the process is idle enough for virtual time to jump: no immediate queued,
 * no request in flight, and no socket activity. Sockets are ambiguous (an idle keep-alive
 * connection looks like one waiting for an answer), so: a socket that is connecting, has
 * bytes queued for writing, or carries an unfinished `node:http` exchange blocks the jump;
 * other sockets must have moved no byte for `threshold` ms of real time.
 */
export class IdleProbe {
  private pipeBaseline = 0;
  private activity = -1;
  private quietSince = 0;

  constructor(
    private readonly threshold: number,
    private readonly realNow: () => number,
  ) {}

  /** Remembers the pipes open at install (stdio, a test runner's IPC channel). */
  reset(): void {
    this.pipeBaseline = 0;
    for (const name of process.getActiveResourcesInfo())
      if (name === 'PipeWrap') this.pipeBaseline++;
    this.activity = -1;
  }

  /** IDLE, BUSY, BLOCKED, or the real milliseconds to wait before asking again. */
  probe(): number {
    let immediates = 0;
    let sockets = false;
    let pipes = 0;
    for (const name of process.getActiveResourcesInfo()) {
      if (name === 'Immediate') immediates++;
      else if (name === 'TCPSocketWrap' || name === 'UDPWrap') sockets = true;
      else if (name === 'PipeWrap') pipes++;
      else if (isRequest(name)) return BLOCKED;
    }
    if (immediates > 0) return BUSY;
    if (!sockets && pipes <= this.pipeBaseline) {
      this.activity = -1;
      return IDLE;
    }
    return this.probeSockets();
  }

  private probeSockets(): number {
    let activity = 0;
    const handles = (process as unknown as { _getActiveHandles(): unknown[] })._getActiveHandles();
    for (const handle of handles) {
      if (!(handle instanceof Socket)) continue;
      if (handle === process.stdout || handle === process.stderr || handle === process.stdin)
        continue;
      const socket = handle as HttpSocket;
      if (socket.connecting || socket.writableLength > 0) return BLOCKED;
      if (socket._httpMessage) return BLOCKED;
      activity += socket.bytesRead + socket.bytesWritten + 1;
    }
    if (this.threshold <= 0) return IDLE;
    const now = this.realNow();
    if (activity !== this.activity) {
      this.activity = activity;
      this.quietSince = now;
    }
    const left = this.quietSince + this.threshold - now;
    if (left <= 0) {
      this.activity = -1;
      return IDLE;
    }
    return left;
  }
}
