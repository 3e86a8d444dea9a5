package io.camelbitrix24.crm.redis;

import redis.embedded.RedisServer;
import redis.embedded.core.RedisServerBuilder;

/**
 * A real redis-server for the tests (the binary the embedded-redis artifact ships), on loopback, keeping nothing on
 * disk; not started.
 */
final class TestRedis {

    private TestRedis() {
    }

    /** On {@code port}; asking for {@code password} when it is not null. */
    static RedisServer server(int port, String password) throws Exception {
        RedisServerBuilder builder = RedisServer.newRedisServer().bind("127.0.0.1").port(port);
        if (password != null) {
            builder.setting("requirepass " + password);
        }
        return builder.setting("save \"\"").setting("appendonly no").build();
    }
}
