package io.selectors4j.apps.reliability;

/** The faults against the event-loop echo of {@code s4j serve}. */
class ServeEchoFaultsTest extends EchoFaultsTest {
    @Override
    EchoServers kind() {
        return EchoServers.SERVE;
    }
}
