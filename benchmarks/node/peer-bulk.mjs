// Deletes leads fromId..toId through the official Bitrix24 JS SDK, all at once, letting its own limiter pace them.
// Usage: node peer-bulk.mjs WEBHOOK_URL FROM_ID TO_ID BURST RATE   (prints one JSON line)
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

const ids = []
for (let id = Number(fromId); id <= Number(toId); id++) ids.push(id)
const start = performance.now()
const settled = await Promise.allSettled(ids.map((id) => $b24.actions.v2.call.make({ method: 'crm.lead.delete', params: { id } })))
const seconds = (performance.now() - start) / 1000
const failed = settled.filter((s) => s.status === 'rejected' || !s.value.isSuccess).length
const sdkVersion = JSON.parse(readFileSync(new URL('./node_modules/@bitrix24/b24jssdk/package.json', import.meta.url))).version
console.log(JSON.stringify({ seconds, failed, sdkVersion, nodeVersion: process.version }))
