// The official Bitrix24 JS SDK set up as the peer scripts use it: a webhook client paced by the SDK's own limiter
// at the given bucket, quiet, and the SDK's version for the table.
import { B24Hook, ParamsFactory, LoggerFactory } from '@bitrix24/b24jssdk'
import { readFileSync } from 'node:fs'

export async function sdkClient (webhookUrl, burst, rate) {
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
  return $b24
}

export const sdkVersion = JSON.parse(
  readFileSync(new URL('./node_modules/@bitrix24/b24jssdk/package.json', import.meta.url))).version
