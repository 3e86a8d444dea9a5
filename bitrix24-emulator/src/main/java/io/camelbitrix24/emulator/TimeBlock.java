package io.camelbitrix24.emulator;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code time} block of an answer, and of each batch command's entry in {@code result_time}. */
final class TimeBlock {

    /** PHP's {@code date('c')}: {@code 2024-08-15T15:05:09+02:00}, no fraction, the offset always written out. */
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx")
            .withZone(ZoneOffset.UTC);

    private final PortalLimits limits;
    private final boolean selfHosted;

    TimeBlock(PortalLimits limits, boolean selfHosted) {
        this.limits = limits;
        this.selfHosted = selfHosted;
    }

    /**
     * rest.php appendDebugInfo l.731-764: {@code start} a whole number (since 25.700 the timer is declared int),
     * {@code finish} with microseconds, {@code processing} 0, dates as PHP {@code date('c')}; {@code operating} and
     * {@code operating_reset_at} while the load limiter is active, as on every cloud portal (a self-hosted portal has
     * it off by default). The {@code batch} call's own {@code operating} is always 0.
     */
    Map<String, Object> of(String caller, String method, long startMillis, long finishMillis) {
        long start = startMillis / 1000;
        BigDecimal finish = BigDecimal.valueOf(finishMillis, 3);
        Map<String, Object> time = new LinkedHashMap<>();
        time.put("start", start);
        time.put("finish", finish);
        time.put("duration", finish.subtract(BigDecimal.valueOf(start)).doubleValue());
        time.put("processing", 0);
        time.put("date_start", DATE.format(Instant.ofEpochMilli(startMillis)));
        time.put("date_finish", DATE.format(Instant.ofEpochMilli(finishMillis)));
        if (!selfHosted) {
            time.put("operating_reset_at", limits.operating().resetAtSeconds(caller, method, finishMillis, startMillis));
            time.put("operating", BatchRunner.BATCH.equals(method) ? 0 : limits.operating().spent(caller, method, finishMillis));
        }
        return time;
    }
}
