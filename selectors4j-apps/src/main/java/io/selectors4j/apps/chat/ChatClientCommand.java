package io.selectors4j.apps.chat;

import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code s4j chat-client NICK HOST PORT}: the chat client, a terminal UI or, without a terminal, line mode. */
@Command(name = "chat-client",
        mixinStandardHelpOptions = true,
        description = {
            "Joins a chat server as NICK. On a terminal, messages scroll above the prompt 'NICK> '; "
                    + "otherwise each input line is a message and each packet an output line.",
            "Commands: /me ACTION, /msg NICK TEXT, /who, /q (or end of input) to quit."})
public final class ChatClientCommand implements Callable<Integer> {

    @Spec
    private CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NICK", description = "Your nick: 1 to 32 characters, no control characters.")
    private String nick;

    @Parameters(index = "1", paramLabel = "HOST", description = "The server's host name or address.")
    private String host;

    @Parameters(index = "2", paramLabel = "PORT", description = "The server's port.")
    private int port;

    @Override
    public Integer call() throws IOException {
        Nicks.problem(nick).ifPresent(problem -> {
            throw new ParameterException(spec.commandLine(), problem);
        });
        if (port < 1 || port > 65535) {
            throw new ParameterException(spec.commandLine(), "port must be 1 to 65535: " + port);
        }
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(host), port);
        try (ServerLink link = ServerLink.connect(address);
             ChatScreen screen = TerminalScreen.open(nick).orElseGet(ChatClientCommand::lineScreen)) {
            ChatClient.Ending ending = new ChatClient(nick, link, screen).run();
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
