// Loaded with --import before tsx into a runner the recovery scenario starts: prints one log line
// when node is up and one when the process opens its first TCP connection (the entry's imports are
// loaded and it connects to NATS), so the takeover time can be broken down. Bench-only instrument.
import net from 'node:net';

const line = (msg) => process.stdout.write(`${JSON.stringify({ level: 30, msg, time: Date.now() })}\n`);
line('process started');
const connect = net.Socket.prototype.connect;
let first = true;
net.Socket.prototype.connect = function (...args) {
  if (first) {
    first = false;
    line('first connection');
  }
  return connect.apply(this, args);
};
