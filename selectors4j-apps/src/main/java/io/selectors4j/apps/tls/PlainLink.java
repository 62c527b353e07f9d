package io.selectors4j.apps.tls;

import io.selectors4j.apps.common.Reads;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.net.SocketAddress;

/** A {@link Link} over a blocking selectors4j socket. */
final class PlainLink implements Link {
    private final Socket socket;

    PlainLink(Socket socket) {
        this.socket = socket;
    }

    @Override
    public void sendAll(byte[] data) throws IOException {
        socket.sendAll(data);
    }

    @Override
    public int recv(byte[] data, int off, int len, boolean patient) throws IOException {
        return patient ? socket.recv(data, off, len) : Reads.recv(socket, data, off, len);
    }

    @Override
    public void finishSending() {
        try {
            socket.shutdown(Socket.SHUT_WR);
        } catch (IOException e) {
            // Already disconnected: the receiving side finds out.
        }
    }

    @Override
    public SocketAddress localAddress() throws IOException {
        return socket.localAddress();
    }

    @Override
    public void close() {
        try {
            socket.shutdown(Socket.SHUT_RDWR); // wakes a receiving thread
        } catch (IOException e) {
            // already disconnected
        }
        try {
            socket.close();
        } catch (IOException e) {
            // the descriptor is released either way
        }
    }
}
