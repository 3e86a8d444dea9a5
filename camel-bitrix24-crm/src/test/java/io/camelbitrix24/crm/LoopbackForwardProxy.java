package io.camelbitrix24.crm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small HTTP forward proxy on loopback, as a test's stand-in for a company proxy: CONNECT tunnels (answered
 * {@code HTTP/1.0 200}, as many proxies do) and absolute-URI requests, optionally behind Basic credentials, to loopback
 * targets only. It counts what it did and keeps the bytes it carried from clients through tunnels, so a test can tell
 * that TLS ran end to end.
 */
final class LoopbackForwardProxy implements AutoCloseable {

    private final ServerSocket server;
    private final String requiredAuthorization;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread thread = new Thread(r, "loopback-proxy");
        thread.setDaemon(true);
        return thread;
    });
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private final AtomicInteger tunnels = new AtomicInteger();
    private final AtomicInteger forwarded = new AtomicInteger();
    private final AtomicInteger refused = new AtomicInteger();
    private final List<String> targets = new CopyOnWriteArrayList<>();
    private final List<String> requestLines = new CopyOnWriteArrayList<>();
    private final ByteArrayOutputStream tunnelledFromClients = new ByteArrayOutputStream();

    private LoopbackForwardProxy(String username, String password) throws IOException {
        this.requiredAuthorization = username == null ? null
                : "Basic " + Base64.getEncoder().encodeToString((username + ":" + password).getBytes(StandardCharsets.UTF_8));
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    /** A proxy that lets every request through. */
    static LoopbackForwardProxy open() throws IOException {
        return new LoopbackForwardProxy(null, null);
    }

    /** A proxy that answers 407 unless a request carries these Basic credentials. */
    static LoopbackForwardProxy withCredentials(String username, String password) throws IOException {
        return new LoopbackForwardProxy(username, password);
    }

    String host() {
        return server.getInetAddress().getHostAddress();
    }

    int port() {
        return server.getLocalPort();
    }

    /** CONNECT tunnels opened. */
    int tunnels() {
        return tunnels.get();
    }

    /** Absolute-URI requests passed on. */
    int forwarded() {
        return forwarded.get();
    }

    /** Requests answered 407. */
    int refused() {
        return refused.get();
    }

    /** The host:port of each CONNECT, in order, those answered 502 (target unreachable) among them. */
    List<String> tunnelTargets() {
        return List.copyOf(targets);
    }

    /** The request line of each absolute-URI request passed on, as it came. */
    List<String> forwardedRequestLines() {
        return List.copyOf(requestLines);
    }

    /** Whether {@code text} passed through a tunnel from a client, in the clear. */
    boolean tunnelCarriedInClear(String text) {
        synchronized (tunnelledFromClients) {
            return tunnelledFromClients.toString(StandardCharsets.ISO_8859_1).contains(text);
        }
    }

    int tunnelledBytes() {
        synchronized (tunnelledFromClients) {
            return tunnelledFromClients.size();
        }
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                sockets.add(client);
                threads.execute(() -> serve(client));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            List<String> head = readHead(in);
            if (head.isEmpty()) {
                return;
            }
            String[] requestLine = head.get(0).split(" ");
            if (requiredAuthorization != null && !requiredAuthorization.equals(header(head, "Proxy-Authorization"))) {
                refused.incrementAndGet();
                // read what the client sent first, so that closing does not reset the connection under the answer
                String length = header(head, "Content-Length");
                in.readNBytes(length == null ? 0 : Integer.parseInt(length.trim()));
                String page = "<html>Proxy Authentication Required</html>";
                write(client.getOutputStream(), "HTTP/1.1 407 Proxy Authentication Required\r\n"
                                                + "Proxy-Authenticate: Basic realm=\"loopback\"\r\nContent-Type: text/html\r\n"
                                                + "Content-Length: " + page.length() + "\r\nConnection: close\r\n\r\n" + page);
                return;
            }
            if (requestLine[0].equals("CONNECT")) {
                tunnel(client, in, requestLine[1]);
            } else {
                forward(client, in, head);
            }
        } catch (IOException e) {
            // the client or the target went away: the connection ends
        } finally {
            sockets.remove(client);
        }
    }

    private void tunnel(Socket client, InputStream in, String target) throws IOException {
        targets.add(target);
        int colon = target.lastIndexOf(':');
        Socket portal;
        try {
            if (colon < 0) {
                throw new IOException("CONNECT without a port: " + target);
            }
            portal = connectLoopback(target.substring(0, colon), Integer.parseInt(target.substring(colon + 1)));
        } catch (IOException | NumberFormatException unreachable) {
            write(client.getOutputStream(), "HTTP/1.1 502 Bad Gateway\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        try (Socket upstream = portal) {
            tunnels.incrementAndGet();
            write(client.getOutputStream(), "HTTP/1.0 200 Connection established\r\n\r\n");
            threads.execute(() -> pipe(upstream, client, null));
            pipe(client, upstream, tunnelledFromClients);
        }
    }

    private void forward(Socket client, InputStream in, List<String> head) throws IOException {
        String[] requestLine = head.get(0).split(" ");
        URI uri = URI.create(requestLine[1]);
        if (uri.getScheme() == null) {
            write(client.getOutputStream(), "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            return;
        }
        requestLines.add(head.get(0));
        String path = uri.getRawPath() + (uri.getRawQuery() != null ? "?" + uri.getRawQuery() : "");
        StringBuilder out = new StringBuilder(requestLine[0] + " " + path + " " + requestLine[2] + "\r\n");
        for (String line : head.subList(1, head.size())) {
            String name = line.substring(0, line.indexOf(':')).trim().toLowerCase(Locale.ROOT);
            if (!name.equals("proxy-authorization") && !name.equals("connection") && !name.equals("proxy-connection")) {
                out.append(line).append("\r\n");
            }
        }
        out.append("Connection: close\r\n\r\n");
        String length = header(head, "Content-Length");
        try (Socket upstream = connectLoopback(uri.getHost(), uri.getPort() >= 0 ? uri.getPort() : 80)) {
            forwarded.incrementAndGet();
            OutputStream up = upstream.getOutputStream();
            write(up, out.toString());
            up.write(in.readNBytes(length == null ? 0 : Integer.parseInt(length.trim())));
            up.flush();
            // the answer's head gets Connection: close, as this proxy serves one request per client connection
            InputStream answer = upstream.getInputStream();
            List<String> answerHead = readHead(answer);
            StringBuilder back = new StringBuilder();
            for (String line : answerHead) {
                if (!line.toLowerCase(Locale.ROOT).startsWith("connection:")) {
                    back.append(line).append("\r\n");
                }
            }
            back.append("Connection: close\r\n\r\n");
            write(client.getOutputStream(), back.toString());
            answer.transferTo(client.getOutputStream());
        }
    }

    private Socket connectLoopback(String host, int port) throws IOException {
        InetAddress address = InetAddress.getByName(host);
        if (!address.isLoopbackAddress()) {
            throw new IOException("this proxy reaches loopback only");
        }
        Socket upstream = new Socket();
        upstream.connect(new InetSocketAddress(address, port), 5_000);
        sockets.add(upstream);
        return upstream;
    }

    private void pipe(Socket from, Socket to, ByteArrayOutputStream copy) {
        byte[] buffer = new byte[8192];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            for (int n; (n = in.read(buffer)) >= 0; ) {
                out.write(buffer, 0, n);
                out.flush();
                if (copy != null) {
                    synchronized (copy) {
                        copy.write(buffer, 0, n);
                    }
                }
            }
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private static List<String> readHead(InputStream in) throws IOException {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                int end = line.length() > 0 && line.charAt(line.length() - 1) == '\r' ? line.length() - 1 : line.length();
                if (end == 0) {
                    return lines;
                }
                lines.add(line.substring(0, end));
                line.setLength(0);
            } else {
                line.append((char) b);
            }
        }
        return lines;
    }

    private static String header(List<String> head, String name) {
        for (String line : head.subList(1, head.size())) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                return line.substring(colon + 1).trim();
            }
        }
        return null;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        sockets.forEach(LoopbackForwardProxy::closeQuietly);
        threads.shutdownNow();
        try {
            threads.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
