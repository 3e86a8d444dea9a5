// Deletes leads fromId..toId through the official Bitrix24 JS SDK's explicit batches: the ids gathered first, 50
// commands per batch call, every batch call issued at once and paced by the SDK's own limiter.
// Usage: node peer-batch.mjs WEBHOOK_URL FROM_ID TO_ID BURST RATE   (prints one JSON line)
import { B24Hook, ParamsFactory, LoggerFactory } from '@bitrix24/b24jssdk'
import { readFileSync } from 'node:fs'

const [webhookUrl, fromId, toId, burst, rate] = process.argv.slice(2)
const $b24 = B24Hook.fromWebhookUrl(webhookUrl)
try {
  $b24.offClientSideWarning?.()
  $b24.setLogger?.(LoggerFactory.createNullLogger())
} catch (e) {
  // older SDKs lack these: their log lines are harmless
}
await $b24.setRestrictionManagerParams({
  ...ParamsFactory.getDefault(),
  rateLimit: { burstLimit: Number(burst), drainRate: Number(rate), adaptiveEnabled: true }
})

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
const sdkVersion = JSON.parse(readFileSync(new URL('./node_modules/@bitrix24/b24jssdk/package.json', import.meta.url))).version
console.log(JSON.stringify({ seconds, failedCalls, batchCalls: chunks.length, sdkVersion, nodeVersion: process.version }))
