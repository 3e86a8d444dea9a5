package io.camelbitrix24.crm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TCP relays on loopback in front of servers (portals, a cloud's shared front end), counting the connections clients
 * hold open through them: one more when a connection is accepted, one less when its client closes it (or the server
 * does and the relay passes the close on), and the most open at once across every relay of this object, kept as it
 * happens rather than sampled now and then.
 * <p>
 * One thread runs every relay on one selector, so the counts follow the order in which the kernel saw the events: in
 * each wake-up the relay first reads what the open connections have (a client's close among it), then accepts at most
 * one connection. A client that closes a connection and then opens another (as a pool at its cap does) is never counted
 * twice; a client that opens one before closing another is counted with both, unless the two events come in the same
 * wake-up of the relay.
 */
final class ConnectionCountingRelay implements AutoCloseable {

    private static final int BUFFER = 16 * 1024;

    private final Selector selector;
    private final Thread thread;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger open = new AtomicInteger();
    private final AtomicInteger peak = new AtomicInteger();
    private final AtomicLong accepted = new AtomicLong();
    private final Map<SocketAddress, AtomicLong> acceptedByTarget = new ConcurrentHashMap<>();
    private volatile boolean closed;

    ConnectionCountingRelay() {
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.thread = new Thread(this::run, "connection-counting-relay");
        thread.setDaemon(true);
        thread.start();
    }

    /** A relay to {@code target} on a free port of 127.0.0.1; returns that address. */
    InetSocketAddress relayTo(InetSocketAddress target) {
        CompletableFuture<InetSocketAddress> bound = new CompletableFuture<>();
        tasks.add(() -> {
            try {
                ServerSocketChannel server = ServerSocketChannel.open();
                server.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 1024);
                server.configureBlocking(false);
                server.register(selector, SelectionKey.OP_ACCEPT, target);
                acceptedByTarget.put(target, new AtomicLong());
                bound.complete((InetSocketAddress) server.getLocalAddress());
            } catch (IOException | RuntimeException e) {
                bound.completeExceptionally(e);
            }
        });
        selector.wakeup();
        try {
            return bound.get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("relay to " + target + " not started", e);
        }
    }

    /** {@code url} (http://host:port/...) with its host and port replaced by a relay's to that host and port. */
    String relayUrl(String url) {
        java.net.URI uri = java.net.URI.create(url);
        InetSocketAddress relay = relayTo(new InetSocketAddress(uri.getHost(), uri.getPort()));
        return uri.getScheme() + "://" + relay.getAddress().getHostAddress() + ":" + relay.getPort() + uri.getRawPath();
    }

    /** {@code url} with only its port replaced by a relay's to 127.0.0.1 and that port; the host name stays. */
    String relayPortOnly(String url, InetSocketAddress relay) {
        java.net.URI uri = java.net.URI.create(url);
        return uri.getScheme() + "://" + uri.getHost() + ":" + relay.getPort() + uri.getRawPath();
    }

    /** Connections open through the relays now. */
    int open() {
        return open.get();
    }

    /** The most connections open at once through the relays so far. */
    int peak() {
        return peak.get();
    }

    /** Connections accepted so far, in all. */
    long accepted() {
        return accepted.get();
    }

    /** Connections accepted so far by the relay to {@code target}. */
    long accepted(InetSocketAddress target) {
        AtomicLong count = acceptedByTarget.get(target);
        return count == null ? 0 : count.get();
    }

    private void run() {
        try {
            while (!closed) {
                selector.select(200);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                List<SelectionKey> accepts = new ArrayList<>();
                // closes first: what the kernel had before this wake-up is taken before any new connection
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!key.isValid()) {
                        continue;
                    }
                    if (key.attachment() instanceof Connection connection) {
                        connection.pump();
                    } else {
                        accepts.add(key);
                    }
                }
                selector.selectedKeys().clear();
                for (SelectionKey key : accepts) {
                    if (key.isValid() && key.isAcceptable()) {
                        accept(key);
                    }
                }
            }
        } catch (IOException | ClosedSelectorException e) {
            if (!closed) {
                throw new IllegalStateException("relay failed", e);
            }
        } finally {
            for (SelectionKey key : selector.keys()) {
                closeQuietly(key.channel());
            }
            closeQuietly(selector);
        }
    }

    private void accept(SelectionKey key) throws IOException {
        // one a wake-up: a connection made after a close the relay has not read yet waits for the next
        SocketChannel client = ((ServerSocketChannel) key.channel()).accept();
        if (client == null) {
            return;
        }
        InetSocketAddress target = (InetSocketAddress) key.attachment();
        int now = open.incrementAndGet();
        peak.accumulateAndGet(now, Math::max);
        accepted.incrementAndGet();
        acceptedByTarget.get(target).incrementAndGet();
        SocketChannel server;
        try {
            // loopback: the connect is at once
            server = SocketChannel.open(target);
        } catch (IOException e) {
            closeQuietly(client);
            open.decrementAndGet();
            return;
        }
        client.configureBlocking(false);
        server.configureBlocking(false);
        Connection connection = new Connection(client, server);
        client.register(selector, SelectionKey.OP_READ, connection);
        server.register(selector, SelectionKey.OP_READ, connection);
    }

    @Override
    public void close() throws InterruptedException {
        closed = true;
        selector.wakeup();
        thread.join(TimeUnit.SECONDS.toMillis(10));
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closing
        }
    }

    /** A client's connection and the relay's own to the server. */
    private final class Connection {
        final SocketChannel client;
        final SocketChannel server;
        final Pipe fromClient;
        final Pipe fromServer;
        boolean done;

        Connection(SocketChannel client, SocketChannel server) {
            this.client = client;
            this.server = server;
            this.fromClient = new Pipe(this, client, server);
            this.fromServer = new Pipe(this, server, client);
        }

        /** Both directions go on as far as they can. */
        void pump() {
            fromClient.pump();
            fromServer.pump();
        }

        /** The client closed, or the server did and everything it sent has reached the client. */
        void end() {
            if (!done) {
                done = true;
                closeQuietly(client);
                closeQuietly(server);
                open.decrementAndGet();
            }
        }
    }

    /** One direction of a connection: reads from {@code in} into a buffer, writes it to {@code out}. */
    private final class Pipe {
        final Connection connection;
        final SocketChannel in;
        final SocketChannel out;
        final ByteBuffer buffer = ByteBuffer.allocate(BUFFER);
        boolean eof;

        Pipe(Connection connection, SocketChannel in, SocketChannel out) {
            this.connection = connection;
            this.in = in;
            this.out = out;
        }

        /** Reads what there is (if room), then writes what it holds; ends the connection at a close. */
        void pump() {
            if (connection.done) {
                return;
            }
            try {
                if (!eof && buffer.hasRemaining()) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        eof = true;
                    }
                }
                buffer.flip();
                out.write(buffer);
                buffer.compact();
            } catch (IOException e) {
                connection.end();
                return;
            }
            boolean empty = buffer.position() == 0;
            if (eof && (in == connection.client || empty)) {
                // a client's close ends the connection at once; a server's once its last bytes are passed on
                connection.end();
                return;
            }
            setInterest(in.keyFor(selector), SelectionKey.OP_READ, !eof && buffer.hasRemaining());
            setInterest(out.keyFor(selector), SelectionKey.OP_WRITE, !empty);
        }

        private void setInterest(SelectionKey key, int op, boolean on) {
            if (key != null && key.isValid()) {
                key.interestOps(on ? key.interestOps() | op : key.interestOps() & ~op);
            }
        }
    }
}
