package io.camelbitrix24.examples;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

import org.apache.camel.processor.aggregate.jdbc.JdbcAggregationRepository;
import org.h2.jdbcx.JdbcConnectionPool;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;

/**
 * Where the queue example's aggregator keeps the ids it is collecting, and the batches it has completed but not yet
 * seen through: an H2 database file, through Camel's {@link JdbcAggregationRepository}. A JVM that dies mid-batch
 * leaves them there; the next start finds them, times out the open batch and sends again what was completed.
 */
public final class BatchStore {

    private static final String TABLE = "bitrix24_batches";

    private BatchStore() {
    }

    /** The repository over {@code dir/batches.mv.db}, its tables made on first use. */
    public static JdbcAggregationRepository open(Path dir) throws SQLException {
        // pooled: the database stays open between operations instead of being opened for each. WRITE_DELAY=0: a commit
        // is on disk before the JMS message it stored is acknowledged (by default H2 writes it up to a second later,
        // and a JVM killed meanwhile loses the ids)
        JdbcConnectionPool dataSource = JdbcConnectionPool.create(
                "jdbc:h2:file:" + dir.toAbsolutePath().resolve("batches") + ";WRITE_DELAY=0", "sa", "");
        try (Connection connection = dataSource.getConnection(); Statement sql = connection.createStatement()) {
            // the layout JdbcAggregationRepository expects: one table, and one for completed batches
            for (String table : new String[] { TABLE, TABLE + "_completed" }) {
                sql.execute("CREATE TABLE IF NOT EXISTS " + table + " (id VARCHAR(255) NOT NULL PRIMARY KEY,"
                            + " exchange BLOB NOT NULL, version BIGINT NOT NULL)");
            }
        }
        JdbcAggregationRepository repository
                = new JdbcAggregationRepository(new DataSourceTransactionManager(dataSource), TABLE, dataSource);
        // a completed batch whose delete did not finish (the JVM died) is sent again, checked every second
        repository.setUseRecovery(true);
        repository.setRecoveryInterval(1000);
        return repository;
    }
}
