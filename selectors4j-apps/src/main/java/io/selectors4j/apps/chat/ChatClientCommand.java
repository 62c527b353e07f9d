package io.selectors4j.apps.chat;

import io.selectors4j.apps.common.PortConverter;
import io.selectors4j.apps.tls.TlsClientOptions;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code s4j chat-client NICK HOST PORT}: the chat client, a terminal UI or, without a terminal, line mode. */
@Command(name = "chat-client",
        mixinStandardHelpOptions = true,
        description = {
            "Join a chat server as NICK.",
            "On a terminal, messages scroll above the prompt 'NICK> '; otherwise each input line is a message "
                    + "and each packet an output line. The server has 10 s to answer the hello.",
            "Commands: /me ACTION, /msg NICK TEXT, /who, /q (or end of input, Ctrl-D, Ctrl-C) to quit."})
public final class ChatClientCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NICK", description = "Your nick: 1 to 32 characters, no control or invisible characters, no space at either end.")
    private String nick;

    @Parameters(index = "1", paramLabel = "HOST", description = "The chat server's host name or address.")
    private String host;

    @Parameters(index = "2", paramLabel = "PORT", converter = PortConverter.class, description = "The chat server's port.")
    private int port;

    @Mixin
    private TlsClientOptions tls;

    @Override
    public Integer call() throws IOException {
        Nicks.problem(nick).ifPresent(problem -> {
            throw new ParameterException(spec.commandLine(), problem);
        });
        try (ServerLink link = ServerLink.connect(host, port, tls.settings(spec, host));
             ChatScreen screen = TerminalScreen.open(nick).orElseGet(ChatClientCommand::lineScreen)) {
            ChatClient client = new ChatClient(nick, link, screen);
            QuitSignals.install(client::quit);
            ChatClient.Ending ending = client.run();
            if (ending.failure() != null) {
                throw new IOException(ending.failure());
            }
        }
        return 0;
    }

    private static ChatScreen lineScreen() {
        return new LineScreen(new FileInputStream(FileDescriptor.in), new FileOutputStream(FileDescriptor.out));
    }
}
