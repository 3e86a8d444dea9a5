package io.camelbitrix24.crm.redis;

import java.time.Duration;

import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;

/** What the Redis beans share: a client that answers within their timeout, and their address fit to print. */
final class RedisConnections {

    private RedisConnections() {
    }

    /** A client whose commands fail after {@code timeoutMillis}, and at once while it is disconnected. */
    static RedisClient client(long timeoutMillis) {
        RedisClient client = RedisClient.create();
        client.setDefaultTimeout(Duration.ofMillis(timeoutMillis));
        client.setOptions(ClientOptions.builder()
                .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                .build());
        return client;
    }

    /** The Redis address without its password. */
    static String withoutPassword(String redisUri) {
        return redisUri == null ? "redis" : redisUri.replaceAll("(?<=://)[^@/]*@", "");
    }
}
