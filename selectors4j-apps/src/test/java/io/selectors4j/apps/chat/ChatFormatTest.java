package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ChatFormatTest {

    @Test
    void theLinesOfTheProtocol() {
        assertThat(ChatFormat.line(new Packet.Chat("pat", "hi"))).isEqualTo("pat: hi");
        assertThat(ChatFormat.line(new Packet.Join("pat"))).isEqualTo("*** pat has joined the chat");
        assertThat(ChatFormat.line(new Packet.Leave("pat"))).isEqualTo("*** pat has left the chat");
        assertThat(ChatFormat.line(new Packet.Error("say hello first"))).isEqualTo("*** error: say hello first");
        assertThat(ChatFormat.line(new Packet.Emote("pat", "waves"))).isEqualTo("[pat waves]");
        assertThat(ChatFormat.line(new Packet.Dm("pat", "chris", "hi"))).isEqualTo("pat -> chris: hi");
        assertThat(ChatFormat.line(new Packet.Users(List.of("pat", "chris")))).isEqualTo("*** users: pat, chris");
    }

    @Test
    void controlCharactersCannotBreakTheLineOrSteerTheTerminal() {
        assertThat(ChatFormat.line(new Packet.Chat("e\u001b[2J", "a\nb\r\tc\u007f\u0085 Zoë 😀")))
                .isEqualTo("e^[[2J: a^Jb^M^Ic^?\\u0085 Zoë 😀");
    }
}
