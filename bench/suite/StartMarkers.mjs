// Loaded with --import before tsx into a runner the recovery scenario starts: prints one log line
// when node is up and one when the process opens its first TCP connection (the entry's imports are
// loaded and it connects to NATS), so the takeover time can be broken down. Bench-only instrument.
import net from 'node:net';

const line = (msg, extra = {}) => process.stdout.write(`${JSON.stringify({ level: 30, msg, time: Date.now(), ...extra })}\n`);
line('process started');
const connect = net.Socket.prototype.connect;
let first = true;
net.Socket.prototype.connect = function (...args) {
  if (first) {
    first = false;
    const [target] = args;
    const where = typeof target === 'object' && target !== null ? { port: target.port, host: target.host, path: target.path } : { target: String(target) };
    line('first connection', where);
  }
  return connect.apply(this, args);
};
