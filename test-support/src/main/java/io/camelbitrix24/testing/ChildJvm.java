package io.camelbitrix24.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A JVM of its own, started by a test with this JVM's {@code java}: an application, a pod, a CLI. Its output goes to a
 * file; every wait is bounded, and closing it ends a JVM still running, so a failed assertion leaves nothing behind.
 */
public final class ChildJvm implements AutoCloseable {

    private static final Duration KILL_WAIT = Duration.ofSeconds(30);

    private final Process process;
    private final Path log;

    private ChildJvm(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** A JVM that will run {@code mainClass}, on this JVM's class path unless told otherwise. */
    public static Builder running(String mainClass) {
        return new Builder(mainClass);
    }

    /**
     * Waits up to {@code limit} for the JVM to end by itself; one still running then is ended. True if it ended by
     * itself.
     */
    public boolean awaitEnd(Duration limit) throws InterruptedException {
        if (process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
            return true;
        }
        kill();
        return false;
    }

    /** Ends the JVM at once (as a crash or an OOM kill would), waiting a bounded time for it to be gone. */
    public void kill() throws InterruptedException {
        process.destroyForcibly().waitFor(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The exit code of a JVM that has ended. */
    public int exitValue() {
        return process.exitValue();
    }

    /** What it has written so far, standard output and error together. */
    public String output() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }

    /** How the JVM is started. */
    public static final class Builder {
        private final String mainClass;
        private String classPath = System.getProperty("java.class.path");
        private final List<String> jvmArgs = new ArrayList<>();
        private final List<String> args = new ArrayList<>();
        private final Map<String, String> environment = new LinkedHashMap<>();
        private Path directory;
        private boolean appendLog;

        private Builder(String mainClass) {
            this.mainClass = mainClass;
        }

        public Builder classPath(String classPath) {
            this.classPath = classPath;
            return this;
        }

        /** Options for the JVM, before the main class: {@code -D...}, {@code -Xmx...}. */
        public Builder jvmArgs(String... jvmArgs) {
            this.jvmArgs.addAll(List.of(jvmArgs));
            return this;
        }

        /** Arguments for the main class. */
        public Builder args(String... args) {
            this.args.addAll(List.of(args));
            return this;
        }

        public Builder environment(String name, String value) {
            environment.put(name, value);
            return this;
        }

        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** Adds to the log file instead of starting it anew: for a JVM started again after a crash. */
        public Builder appendLog() {
            this.appendLog = true;
            return this;
        }

        /** Starts the JVM, its standard output and error written to {@code log}. */
        public ChildJvm start(Path log) throws IOException {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(classPath);
            command.addAll(jvmArgs);
            command.add(mainClass);
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectOutput(appendLog ? ProcessBuilder.Redirect.appendTo(log.toFile())
                            : ProcessBuilder.Redirect.to(log.toFile()));
            if (directory != null) {
                builder.directory(directory.toFile());
            }
            builder.environment().putAll(environment);
            return new ChildJvm(builder.start(), log);
        }
    }
}
