// Starts an in-memory PLC directory and the reference AT Protocol server (@atproto/pds) in one
// Node process, both bound to 127.0.0.1, for civicpost's Bluesky tests.
//
// Usage: node start.js <plc-port> <pds-port> <data-dir>
// Prints one line "PDS READY <pds-url> <plc-url>" when both accept requests; the test fixture
// waits for it. Module resolution comes from NODE_PATH (the cached node_modules folder).
'use strict'

require('./loopback.js') // both servers would otherwise bind every interface

const crypto = require('node:crypto')
const path = require('node:path')

const randomHex = () => crypto.randomBytes(32).toString('hex')

async function main() {
  const [plcPort, pdsPort, dataDir] = process.argv.slice(2)
  if (!plcPort || !pdsPort || !dataDir) {
    throw new Error('usage: node start.js <plc-port> <pds-port> <data-dir>')
  }

  const plcModule = require('@did-plc/server')
  const plc = plcModule.PlcServer.create({ db: plcModule.Database.mock(), port: Number(plcPort) })
  await plc.start()
  const plcUrl = `http://127.0.0.1:${plcPort}`

  Object.assign(process.env, {
    PDS_HOSTNAME: 'localhost',
    PDS_PORT: String(pdsPort),
    PDS_DEV_MODE: 'true',
    PDS_DATA_DIRECTORY: dataDir,
    PDS_BLOBSTORE_DISK_LOCATION: path.join(dataDir, 'blobs'),
    PDS_DID_PLC_URL: plcUrl,
    PDS_SERVICE_HANDLE_DOMAINS: '.test',
    PDS_JWT_SECRET: randomHex(),
    PDS_ADMIN_PASSWORD: process.env.PDS_ADMIN_PASSWORD || randomHex(),
    PDS_DPOP_SECRET: randomHex(),
    PDS_PLC_ROTATION_KEY_K256_PRIVATE_KEY_HEX: randomHex(),
    PDS_REPO_SIGNING_KEY_K256_PRIVATE_KEY_HEX: randomHex(),
    PDS_INVITE_REQUIRED: 'false',
    PDS_RATE_LIMITS_ENABLED: 'false',
    PDS_CRAWLERS: '',
  })

  const pdsModule = require('@atproto/pds')
  const env = pdsModule.readEnv()
  const pds = await pdsModule.PDS.create(pdsModule.envToCfg(env), pdsModule.envToSecrets(env))
  await pds.start()

  const stop = async () => {
    await pds.destroy().catch(() => undefined)
    await plc.destroy().catch(() => undefined)
    process.exit(0)
  }
  process.on('SIGTERM', stop)
  process.on('SIGINT', stop)

  console.log(`PDS READY http://127.0.0.1:${pdsPort} ${plcUrl}`)
}

main().catch((error) => {
  console.error('PDS FAILED', error)
  process.exit(1)
})
