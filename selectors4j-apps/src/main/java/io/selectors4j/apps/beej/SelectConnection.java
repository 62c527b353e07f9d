package io.selectors4j.apps.beej;

import io.selectors4j.apps.common.IdleList;
import io.selectors4j.net.Socket;

/** One client of the select server: its socket, and its address in Python's form for the log. */
final class SelectConnection extends IdleList.Entry {
    final Socket socket;
    final String peer;

    SelectConnection(Socket socket, String peer) {
        this.socket = socket;
        this.peer = peer;
    }
}
