// Deletes leads fromId..toId through the official Bitrix24 JS SDK's explicit batches: the ids gathered first, 50
// commands per batch call, every batch call issued at once and paced by the SDK's own limiter.
// Usage: node peer-batch.mjs WEBHOOK_URL FROM_ID TO_ID BURST RATE   (prints one JSON line)
import { sdkClient, sdkVersion } from './sdk-client.mjs'

const [webhookUrl, fromId, toId, burst, rate] = process.argv.slice(2)
const $b24 = await sdkClient(webhookUrl, burst, rate)

const chunks = []
for (let id = Number(fromId); id <= Number(toId); id += 50) {
  const chunk = []
  for (let i = id; i < id + 50 && i <= Number(toId); i++) chunk.push(['crm.lead.delete', { id: i }])
  chunks.push(chunk)
}
const start = performance.now()
const settled = await Promise.allSettled(chunks.map((calls) =>
  $b24.actions.v2.batch.make({ calls, options: { isHaltOnError: false } })))
const seconds = (performance.now() - start) / 1000
const failedCalls = settled.filter((s) => s.status === 'rejected' || !s.value.isSuccess).length
console.log(JSON.stringify({ seconds, failedCalls, batchCalls: chunks.length, sdkVersion, nodeVersion: process.version }))
