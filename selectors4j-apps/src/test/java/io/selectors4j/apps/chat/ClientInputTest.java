package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ClientInputTest {

    @Test
    void aPlainLineIsAChatKeptExactly() {
        assertThat(ClientInput.parse("  hi there! don't \\n  ")).isEqualTo(send(new Packet.Chat(null, "  hi there! don't \\n  ")));
    }

    @Test
    void commands() {
        assertThat(ClientInput.parse("/me waves")).isEqualTo(send(new Packet.Emote(null, "waves")));
        assertThat(ClientInput.parse("/msg chris hi there")).isEqualTo(send(new Packet.Dm(null, "chris", "hi there")));
        assertThat(ClientInput.parse("/who")).isEqualTo(send(new Packet.Who()));
        assertThat(ClientInput.parse("/q")).isEqualTo(new ClientInput.Quit());
        assertThat(ClientInput.parse("/q ")).isEqualTo(new ClientInput.Quit());
    }

    @Test
    void aDoubleSlashSendsALineStartingWithASlash() {
        assertThat(ClientInput.parse("//etc/passwd")).isEqualTo(send(new Packet.Chat(null, "/etc/passwd")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "\t"})
    void emptyLinesAreNotSent(String line) {
        assertThat(ClientInput.parse(line)).isEqualTo(new ClientInput.Nothing());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/quit", "/help", "/", "/q now", "/who is there", "/ME waves"})
    void unknownCommandsShowTheHelpLine(String line) {
        assertThat(ClientInput.parse(line)).isEqualTo(new ClientInput.Help(ClientInput.HELP));
        assertThat(ClientInput.HELP).startsWith("*** ");
    }

    @Test
    void incompleteCommandsShowTheirUsage() {
        assertThat(ClientInput.parse("/me")).isEqualTo(new ClientInput.Help("*** usage: /me ACTION"));
        assertThat(ClientInput.parse("/me  ")).isEqualTo(new ClientInput.Help("*** usage: /me ACTION"));
        assertThat(ClientInput.parse("/msg")).isEqualTo(new ClientInput.Help("*** usage: /msg NICK TEXT"));
        assertThat(ClientInput.parse("/msg chris")).isEqualTo(new ClientInput.Help("*** usage: /msg NICK TEXT"));
        assertThat(ClientInput.parse("/msg  hi")).isEqualTo(new ClientInput.Help("*** usage: /msg NICK TEXT"));
    }

    private static ClientInput send(Packet packet) {
        return new ClientInput.Send(packet);
    }
}
