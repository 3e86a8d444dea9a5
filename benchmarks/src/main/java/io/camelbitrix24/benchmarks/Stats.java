package io.camelbitrix24.benchmarks;

import java.util.Arrays;

/** Percentiles of a set of latencies, in microseconds. */
record Stats(double medianMicros, double p99Micros, int count) {

    static Stats of(long[] nanos, int count) {
        long[] sorted = Arrays.copyOf(nanos, count);
        Arrays.sort(sorted);
        return new Stats(percentile(sorted, 0.50) / 1000.0, percentile(sorted, 0.99) / 1000.0, count);
    }

    private static long percentile(long[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
