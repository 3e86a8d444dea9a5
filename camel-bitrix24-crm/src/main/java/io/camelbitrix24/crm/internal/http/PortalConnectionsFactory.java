package io.camelbitrix24.crm.internal.http;

import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.DefaultHostnameVerifier;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.core5.http.protocol.HttpProcessorBuilder;
import org.apache.hc.core5.http.protocol.RequestConnControl;
import org.apache.hc.core5.http.protocol.RequestContent;
import org.apache.hc.core5.http.protocol.RequestTargetHost;
import org.apache.hc.core5.http.protocol.RequestUserAgent;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/** The connections of a transport as its settings ask: one I/O thread, the request headers, TLS that checks the host. */
final class PortalConnectionsFactory {

    private PortalConnectionsFactory() {
    }

    static PortalConnections create(HttpSettings settings, Timeout ioTimeout) {
        return new PortalConnections(
                IOReactorConfig.custom().setIoThreadCount(1).setSoTimeout(ioTimeout)
                        // the reactor checks timeouts once per select interval (1 s by default): a tenth of the
                        // response timeout keeps a short timeout close to what was asked
                        .setSelectInterval(TimeValue.ofMilliseconds(
                                Math.max(10, Math.min(1000, settings.responseTimeoutMillis() / 10))))
                        .build(),
                HttpProcessorBuilder.create()
                        // no Expect: 100-continue, which would cost every call an extra round trip
                        .addAll(new RequestContent(), new RequestTargetHost(), new RequestConnControl(),
                                new RequestUserAgent(settings.userAgent()))
                        .build(),
                new HandshakeSignallingTlsStrategy(ClientTlsStrategyBuilder.create().setSslContext(settings.sslContext())
                        // the certificate must name the portal's host. Named, not left to the defaults: HttpClient 5.6
                        // keeps no verifier of its own, and 5.5 and 5.6 set JSSE's endpoint identification on the
                        // handshake's parameters only after applying them, so the verifier is what checks it
                        .setHostVerificationPolicy(HostnameVerificationPolicy.BOTH)
                        .setHostnameVerifier(new DefaultHostnameVerifier()).buildAsync()),
                Timeout.ofMilliseconds(settings.connectTimeoutMillis()),
                settings.maxConnections(),
                settings.maxTotalConnections(),
                settings.proxy());
    }
}
