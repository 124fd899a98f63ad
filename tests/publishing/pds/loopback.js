// Binds servers that call listen(port) without a host to 127.0.0.1 instead of every interface.
// Required first by start.js (the PDS) and ../appview/network.js (the dev network).
'use strict'

const net = require('node:net')

const originalListen = net.Server.prototype.listen
net.Server.prototype.listen = function listenOnLoopback(...args) {
  if (typeof args[0] === 'number' && (args.length === 1 || typeof args[1] === 'function')) {
    args.splice(1, 0, '127.0.0.1')
  }
  return originalListen.apply(this, args)
}
