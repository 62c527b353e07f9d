package io.selectors4j.apps.reliability;

/** The faults against {@code s4j echo-server}. */
class EchoServerFaultsTest extends EchoFaultsTest {
    @Override
    EchoServers kind() {
        return EchoServers.ECHO_SERVER;
    }
}
