// Starts the AT Protocol development network of @atproto/dev-env in one Node process: a PLC
// directory, a PDS and the Bluesky AppView (bsky) indexing that PDS, all on 127.0.0.1, for
// civicpost's tests of replies and mentions read through an AppView.
//
// Usage: node network.js   (environment: DB_POSTGRES_URL, DB_POSTGRES_SCHEMA, REDIS_HOST)
// Prints "NETWORK READY <pds-url> <appview-url> <plc-url>" when everything accepts requests and
// stops on SIGTERM. Module resolution comes from NODE_PATH (the cached node_modules folder).
'use strict'

require('../pds/loopback.js') // the servers would otherwise bind every interface

async function main() {
  const { TestNetwork } = require('@atproto/dev-env')
  const network = await TestNetwork.create({
    dbPostgresUrl: process.env.DB_POSTGRES_URL,
    dbPostgresSchema: process.env.DB_POSTGRES_SCHEMA || 'appview',
  })
  console.log(`NETWORK READY ${network.pds.url} ${network.bsky.url} ${network.plc.url}`)
  const stop = async () => {
    await network.close()
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
