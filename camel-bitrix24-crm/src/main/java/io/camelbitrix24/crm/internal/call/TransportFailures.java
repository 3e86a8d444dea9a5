package io.camelbitrix24.crm.internal.call;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLHandshakeException;

import io.camelbitrix24.crm.internal.http.ProxyRefusedException;
import io.camelbitrix24.crm.internal.http.RequestNotSentException;
import io.camelbitrix24.crm.internal.http.ResponseTooLargeException;

/**
 * The failures of calls that got no answer: what the transport, the proxy or TLS said, as a failure that says whether
 * the request may have left and which option fixes a final one. Never the transport's own message, which can quote the
 * request's URI and its webhook code.
 */
public final class TransportFailures {

    private TransportFailures() {
    }

    /** No answer at all: the connection failed, was reset, or the answer did not come in time. */
    public static Failure of(String method, Throwable cause) {
        return of(method, method, cause);
    }

    /**
     * No answer at all: the connection failed, was reset, or the answer did not come in time. A TLS certificate the
     * JVM does not trust, or one for another host, is no passing fault: final, saying which option fixes it.
     */
    public static Failure of(String method, String what, Throwable cause) {
        boolean maybeSent = !neverSent(cause);
        boolean notSent = cause instanceof RequestNotSentException;
        if (notSent && cause.getCause() != null) {
            // what failed before the request left: the connection, its handshake or the turn
            cause = cause.getCause();
        }
        if (cause instanceof ProxyRefusedException refused) {
            return proxyRefusal(method, what, refused.status(), cause.getMessage());
        }
        String tls = untrustedCertificate(cause);
        if (tls != null) {
            String message = what + " failed: the TLS handshake with the portal failed, " + tls + ". Set"
                             + " sslContextParameters to a trust store holding the portal's certificate or its CA, or"
                             + " useGlobalSslContextParameters=true with Camel's camel.ssl.* settings";
            return new Failure(FailureKind.SERVER, message, method, 0, null, "TLS: " + tls, false, false, cause);
        }
        String reason;
        if (cause instanceof TimeoutException || cause instanceof java.net.SocketTimeoutException) {
            // before the request left, the wait was for a connection
            reason = notSent ? "no connection within the connect timeout" : "no answer within the response timeout";
        } else if (cause instanceof ResponseTooLargeException) {
            reason = cause.getMessage();
        } else {
            // the class name only: transport messages can quote the request URI, which holds the webhook code
            reason = cause.getClass().getSimpleName();
        }
        String message = what + " failed: no answer from Bitrix24 (" + reason + ")";
        return new Failure(FailureKind.SERVER, message, method, 0, null, reason, true, maybeSent, cause);
    }

    /**
     * The proxy did not pass the call on: nothing reached the portal. Its own failure to reach the portal (5xx) may
     * pass; a refusal (407 wrong or missing credentials, 403 a portal it does not allow) is final.
     */
    static Failure proxyRefusal(String method, String what, int status, String reason) {
        boolean passing = status >= 500;
        String fix = status == 407 ? "; check proxyAuthUsername and proxyAuthPassword"
                : passing ? "" : "; check proxyHost and the proxy's rules for the portal";
        String message = what + " failed: not sent, " + reason + fix;
        return new Failure(FailureKind.SERVER, message, method, status, null, reason, passing, false, null);
    }

    /**
     * What is wrong with the portal's certificate, when that is why TLS failed: not trusted (no path to a trusted CA)
     * or not for this host. Null for other failures, a dropped handshake among them, which may pass.
     */
    private static String untrustedCertificate(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof javax.net.ssl.SSLPeerUnverifiedException) {
                return "its certificate is not for the portal's host name";
            }
            if (t instanceof java.security.cert.CertificateException
                    || t instanceof java.security.cert.CertPathBuilderException
                    || t instanceof java.security.cert.CertPathValidatorException) {
                return "its certificate is not trusted by this JVM (no path to a trusted certificate authority)";
            }
            if (t.getCause() == t) {
                break;
            }
        }
        return null;
    }

    /** Failures before a request could leave: no connection, no TLS session. Any later failure may follow the work. */
    private static boolean neverSent(Throwable cause) {
        return cause instanceof ConnectException || cause instanceof UnknownHostException
               || cause instanceof NoRouteToHostException || cause instanceof SSLHandshakeException
               || cause instanceof RequestNotSentException;
    }
}
