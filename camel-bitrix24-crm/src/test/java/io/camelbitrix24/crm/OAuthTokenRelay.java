package io.camelbitrix24.crm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import io.camelbitrix24.emulator.Bitrix24Emulator;

/**
 * A relay on loopback in front of an emulated portal's OAuth server, for leak scans: every answer passes through it, and
 * each access and refresh token in it is added to the test's secrets before the client reads the answer, so a scan
 * follows every pair the OAuth server issues during the test, not only the pair it started with. Serves HTTPS with the
 * emulator's own certificate when the portal does. Configure {@link #url()} as the component's {@code oauthServerUrl}.
 */
final class OAuthTokenRelay implements AutoCloseable {

    private static final Pattern TOKEN = Pattern.compile("\"(access_token|refresh_token)\"\\s*:\\s*\"([^\"]+)\"");

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "oauth-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final String target;
    private final boolean https;
    private final SSLContext ssl;
    private final Collection<String> secrets;
    private final Set<String> issued = ConcurrentHashMap.newKeySet();
    private final AtomicInteger answers = new AtomicInteger();

    private OAuthTokenRelay(Bitrix24Emulator portal, Collection<String> secrets) throws Exception {
        this.target = portal.oauthServerUrl();
        this.https = target.startsWith("https:");
        this.secrets = secrets;
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (https) {
            ssl = emulatorSslContext();
            HttpsServer httpsServer = HttpsServer.create(address, 50);
            httpsServer.setHttpsConfigurator(new HttpsConfigurator(ssl));
            server = httpsServer;
        } else {
            ssl = null;
            server = HttpServer.create(address, 50);
        }
        server.createContext("/", this::relay);
        server.setExecutor(threads);
        server.start();
    }

    /**
     * A relay to {@code portal}'s OAuth server that adds each token it answers to {@code secrets} (a thread-safe
     * collection: tokens are added while the client runs).
     */
    static OAuthTokenRelay inFrontOf(Bitrix24Emulator portal, Collection<String> secrets) throws Exception {
        return new OAuthTokenRelay(portal, secrets);
    }

    /** The OAuth server's address as the client is to be given it. */
    String url() {
        return (https ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Every access and refresh token the OAuth server answered through the relay. */
    Set<String> issued() {
        return Set.copyOf(issued);
    }

    /** Answers that carried a new pair. */
    int pairsIssued() {
        return answers.get();
    }

    private void relay(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] requestBody = exchange.getRequestBody().readAllBytes();
            URI uri = URI.create(target + exchange.getRequestURI().getRawPath()
                                 + (exchange.getRequestURI().getRawQuery() == null ? ""
                                         : "?" + exchange.getRequestURI().getRawQuery()));
            HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
            if (connection instanceof HttpsURLConnection secure) {
                secure.setSSLSocketFactory(ssl.getSocketFactory());
            }
            connection.setConnectTimeout(10_000);
            connection.setReadTimeout(30_000);
            connection.setRequestMethod(exchange.getRequestMethod());
            // no connection kept: nothing of the relay's outlives the test
            connection.setRequestProperty("Connection", "close");
            String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
            if (contentType != null) {
                connection.setRequestProperty("Content-Type", contentType);
            }
            if (requestBody.length > 0) {
                connection.setDoOutput(true);
                try (OutputStream out = connection.getOutputStream()) {
                    out.write(requestBody);
                }
            }
            int status;
            byte[] body;
            try {
                status = connection.getResponseCode();
                InputStream in = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
                body = in == null ? new byte[0] : in.readAllBytes();
            } catch (IOException e) {
                // the OAuth server dropped the request: so does the relay
                connection.disconnect();
                throw e;
            }
            Matcher tokens = TOKEN.matcher(new String(body, java.nio.charset.StandardCharsets.UTF_8));
            boolean pair = false;
            while (tokens.find()) {
                // known as a secret before the client can read it, let alone print it
                secrets.add(tokens.group(2));
                issued.add(tokens.group(2));
                pair = true;
            }
            if (pair) {
                answers.incrementAndGet();
            }
            String answerType = connection.getContentType();
            if (answerType != null) {
                exchange.getResponseHeaders().set("Content-Type", answerType);
            }
            exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
            if (body.length > 0) {
                exchange.getResponseBody().write(body);
            }
            connection.disconnect();
        }
    }

    /** The emulator's key and certificate (for 127.0.0.1), and trust in that certificate for the relay's own calls. */
    private static SSLContext emulatorSslContext() throws Exception {
        char[] password = Bitrix24Emulator.STORE_PASSWORD.toCharArray();
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Bitrix24Emulator.class.getClassLoader().getResourceAsStream("bitrix24-emulator.p12")) {
            keys.load(in, password);
        }
        KeyStore trust = KeyStore.getInstance("PKCS12");
        try (InputStream in = Bitrix24Emulator.class.getClassLoader()
                .getResourceAsStream(Bitrix24Emulator.TRUSTSTORE_RESOURCE)) {
            trust.load(in, password);
        }
        KeyManagerFactory keyManagers = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keyManagers.init(keys, password);
        TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trustManagers.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keyManagers.getKeyManagers(), trustManagers.getTrustManagers(), null);
        return context;
    }

    /** Stops the relay and waits (bounded) for its threads to end. */
    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        try {
            threads.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
