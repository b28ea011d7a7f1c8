/** How often the child compares `process.ppid` with the parent it started under. */
const POLL_MS = 250;

/**
 * Runs `onGone` once when the parent of this process is gone, even when it died by SIGKILL
 * (Node has no `PR_SET_PDEATHSIG`): the IPC channel to the parent disconnects when the parent
 * exits, and as a second witness `process.ppid` changes when the process is reparented to init
 * or a subreaper (polled on an unref'd interval, so the watch never keeps the process alive by
 * itself). Returns the function that stops watching.
 */
export function watchParent(onGone: () => void): () => void {
  const parent = process.ppid;
  let stopped = false;
  const gone = () => {
    if (stopped) return;
    stop();
    onGone();
  };
  const timer = setInterval(() => {
    if (process.ppid !== parent) gone();
  }, POLL_MS);
  timer.unref();
  process.on('disconnect', gone);
  function stop(): void {
    stopped = true;
    clearInterval(timer);
    process.off('disconnect', gone);
  }
  return stop;
}
