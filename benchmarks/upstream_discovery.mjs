// Upstream vitrea-client (TypeScript, bdsoha/vitrea-client) doing a cold start's work against
// the simulator's VTU port: log in, read the rooms, the nodes and every key's parameters,
// then the status of the keys given (those that have one), one request at a time at its own
// pacing. Run by benchmarks/test_upstream.py with one argument, a JSON object:
//   {"module": "/abs/path/vitrea-client.mjs", "host": "127.0.0.1", "port": 11501,
//    "username": "...", "password": "...", "gapMs": 250, "keys": [[node, key], ...]}
// Prints one JSON line: {"seconds": ..., "requests": {...}, "statuses": n}.
import { pathToFileURL } from 'node:url'

const args = JSON.parse(process.argv[2])
const { VitreaClient, Requests, ProtocolVersion } = await import(pathToFileURL(args.module).href)

const client = VitreaClient.create(
    {
        host: args.host,
        port: args.port,
        username: args.username,
        password: args.password,
        version: ProtocolVersion.V2,
    },
    { requestBuffer: args.gapMs, shouldReconnect: false },
)
const requests = { rooms: 0, nodes: 0, keyParameters: 0, keyStatus: 0 }
const started = performance.now()
await client.connect()
// Its handshake (ToggleHeartbeat, Login) is queued on connect, ahead of these.
const rooms = await client.send(new Requests.RoomCount())
requests.rooms += 1
for (const roomID of rooms.list) {
    await client.send(new Requests.RoomMetaData(roomID))
    requests.rooms += 1
}
const nodes = await client.send(new Requests.NodeCount())
requests.nodes += 1
for (const nodeID of nodes.list) {
    const meta = await client.send(new Requests.NodeMetaData(nodeID))
    requests.nodes += 1
    for (const key of meta.keysList) {
        await client.send(new Requests.KeyParameters(nodeID, key.id))
        requests.keyParameters += 1
    }
}
let statuses = 0
for (const [nodeID, keyID] of args.keys) {
    const status = await client.send(new Requests.KeyStatus(nodeID, keyID))
    requests.keyStatus += 1
    if (status.nodeID === nodeID && status.keyID === keyID) statuses += 1
}
const seconds = (performance.now() - started) / 1000
client.disconnect()
console.log(JSON.stringify({ seconds, requests, statuses }))
process.exit(0)
