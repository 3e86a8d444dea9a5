package io.camelbitrix24.testing;

import io.camelbitrix24.emulator.Bitrix24Emulator;
import org.apache.camel.support.jsse.KeyStoreParameters;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.support.jsse.TrustManagersParameters;

/** Camel TLS settings that trust the emulator's self-signed certificate, from its trust store on the class path. */
public final class EmulatorTrust {

    private EmulatorTrust() {
    }

    public static SSLContextParameters sslContextParameters() {
        KeyStoreParameters trustStore = new KeyStoreParameters();
        trustStore.setResource("classpath:" + Bitrix24Emulator.TRUSTSTORE_RESOURCE);
        trustStore.setPassword(Bitrix24Emulator.STORE_PASSWORD);
        trustStore.setType("PKCS12");
        TrustManagersParameters trust = new TrustManagersParameters();
        trust.setKeyStore(trustStore);
        SSLContextParameters ssl = new SSLContextParameters();
        ssl.setTrustManagers(trust);
        return ssl;
    }
}
