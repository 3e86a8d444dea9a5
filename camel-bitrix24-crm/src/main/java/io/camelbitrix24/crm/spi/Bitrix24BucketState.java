package io.camelbitrix24.crm.spi;

/**
 * A portal's request bucket as a limiter sees it now, for the people who run the calls: {@code level} calls in it (it
 * drains at {@code perSecond}; above {@code size}, calls wait), {@code size} the burst. Shown in the dev console and
 * JMX; a limiter that cannot tell answers none.
 */
public record Bitrix24BucketState(double level, int size, double perSecond) {
}
