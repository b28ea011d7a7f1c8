// Sends one JSON value to the test that started this process, over TCP on 127.0.0.1.
import { connect } from 'node:net';

export function report(port, value) {
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => {
      socket.end(`${JSON.stringify(value)}\n`, resolve);
    });
    socket.on('error', reject);
  });
}

/** A promise that never settles, with a timer that keeps the process alive meanwhile. */
export function forever() {
  return new Promise(() => {
    setInterval(() => {}, 60_000);
  });
}
