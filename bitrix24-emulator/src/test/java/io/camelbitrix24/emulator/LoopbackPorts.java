package io.camelbitrix24.emulator;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** A port free on several loopback addresses at once, as a cloud on one port needs it. */
final class LoopbackPorts {

    private LoopbackPorts() {
    }

    /** A port free on 127.0.0.1 (picked there) and on each of {@code hosts}; a few tries for one free on all. */
    static int freeOn(String... hosts) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
                port = socket.getLocalPort();
            }
            if (freeOn(port, hosts)) {
                return port;
            }
        }
        throw new IOException("no port free on 127.0.0.1 and " + String.join(", ", hosts));
    }

    private static boolean freeOn(int port, String... hosts) {
        for (String host : hosts) {
            try (ServerSocket socket = new ServerSocket()) {
                socket.bind(new InetSocketAddress(InetAddress.getByName(host), port));
            } catch (IOException e) {
                return false;
            }
        }
        return true;
    }
}
