package io.camelbitrix24.crm;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Predicate;

import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.Appender;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * Captures every log event of every logger, at TRACE, with its formatted message and stack trace, in memory; the test
 * log file keeps its own level meanwhile.
 */
final class LogCapture extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Predicate<String> keep;
    private final LongAdder events = new LongAdder();
    private final Level previousRootLevel;
    private final List<Appender> fileAppenders = new ArrayList<>();

    private LogCapture(Predicate<String> keep) {
        super("capture-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        this.keep = keep;
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        previousRootLevel = root.getLevel();
        start();
        // the test's log file keeps its INFO threshold: what is captured at TRACE stays in memory
        for (Appender appender : root.getAppenders().values()) {
            root.removeAppender(appender.getName());
            root.addAppender(appender, previousRootLevel, null);
            fileAppenders.add(appender);
        }
        root.addAppender(this, Level.ALL, null);
        root.setLevel(Level.ALL);
        config.getLoggers().values().forEach(logger -> logger.setLevel(Level.ALL));
        context.updateLoggers();
    }

    static LogCapture start(String ignored) {
        return new LogCapture(line -> true);
    }

    /**
     * Captures everything but keeps only the lines that contain one of {@code needles}: for long runs. The collection is
     * read at each event, so a thread-safe one may grow while the capture runs (secrets issued during a test).
     */
    static LogCapture searching(Collection<String> needles) {
        return new LogCapture(line -> needles.stream().anyMatch(line::contains));
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLevel().name()).append(' ').append(event.getLoggerName()).append(' ')
                .append(event.getMessage().getFormattedMessage());
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            line.append('\n').append(trace);
        }
        events.increment();
        String text = line.toString();
        if (keep.test(text)) {
            lines.add(text);
        }
    }

    /** The lines kept. */
    List<String> lines() {
        return lines;
    }

    /** How many events were captured, kept or not. */
    long events() {
        return events.sum();
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = context.getConfiguration().getRootLogger();
        root.removeAppender(getName());
        for (Appender appender : fileAppenders) {
            root.removeAppender(appender.getName());
            root.addAppender(appender, null, null);
        }
        root.setLevel(previousRootLevel);
        context.updateLoggers();
        stop();
    }
}
