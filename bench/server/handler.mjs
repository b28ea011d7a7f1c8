// The request handler both servers run: `/slow?ms=N` answers after N ms (the shutdown cases),
// anything else answers `hello world` at once (the throughput cases).
export function handle(req, res) {
  if (req.url.startsWith('/slow')) {
    const ms = Number(new URL(req.url, 'http://x').searchParams.get('ms') ?? 0);
    setTimeout(() => res.end('done\n'), ms);
    return;
  }
  res.end('hello world\n');
}
