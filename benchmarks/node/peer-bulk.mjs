// Deletes leads fromId..toId through the official Bitrix24 JS SDK, all at once, letting its own limiter pace them.
// Usage: node peer-bulk.mjs WEBHOOK_URL FROM_ID TO_ID BURST RATE   (prints one JSON line)
import { sdkClient, sdkVersion } from './sdk-client.mjs'

const [webhookUrl, fromId, toId, burst, rate] = process.argv.slice(2)
const $b24 = await sdkClient(webhookUrl, burst, rate)

const ids = []
for (let id = Number(fromId); id <= Number(toId); id++) ids.push(id)
const start = performance.now()
const settled = await Promise.allSettled(ids.map((id) => $b24.actions.v2.call.make({ method: 'crm.lead.delete', params: { id } })))
const seconds = (performance.now() - start) / 1000
const failed = settled.filter((s) => s.status === 'rejected' || !s.value.isSuccess).length
console.log(JSON.stringify({ seconds, failed, sdkVersion, nodeVersion: process.version }))
