package io.selectors4j.bench.peers;

import io.selectors4j.loop.Protocol;
import io.selectors4j.loop.Transport;
import java.nio.ByteBuffer;

/**
 * The event loop's echo: writes back every byte, and stops reading while its transport's write buffer
 * is above the high-water mark, so a peer that is slow to read holds a bounded amount of memory.
 */
public final class BackPressureEcho implements Protocol {
    private Transport transport;

    @Override
    public void connectionMade(Transport transport) {
        this.transport = transport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        transport.write(data);
    }

    @Override
    public void pauseWriting() {
        transport.pauseReading();
    }

    @Override
    public void resumeWriting() {
        transport.resumeReading();
    }
}
