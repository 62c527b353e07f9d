// The libuv reference of the flood comparison: node's echo, each socket piped into itself, so that
// reading pauses while the socket's write buffer is above its high-water mark.
const port = Number(process.argv[2]);
require('net').createServer((socket) => {
  socket.on('error', () => {});
  socket.pipe(socket);
}).listen(port, '127.0.0.1');
