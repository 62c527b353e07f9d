package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.Needs;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The terminal UI as a person sees it: the real {@code s4j chat-client} in tmux, screen read back. */
@Timeout(120)
class ChatClientTerminalTest {
    private static final int ROWS = 30;
    /** The tmux server's socket, one per test, gone with the test's folder. */
    @TempDir
    private Path tmuxFolder;
    private Path tmux;
    private ChatServerFixture server;
    private InetSocketAddress address;

    @BeforeEach
    void start() throws IOException {
        tmux = Needs.tool("tmux");
        server = new ChatServerFixture();
        address = server.address();
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            tmux("kill-server");
            server.close();
        }
    }

    @Test
    void messagesScrollAboveWhileTheHalfTypedLineStaysIntactOnTheBottom() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris")) {
            startClient("pat");
            chris.expect(new Packet.Join("pat"));
            awaitScreen(screen -> lastLine(screen).equals("pat>"));

            tmux("send-keys", "-t", "chat", "-l", "half typed, don't! \\o/");
            awaitScreen(screen -> lastLine(screen).equals("pat> half typed, don't! \\o/"));
            for (int i = 1; i <= 20; i++) {
                chris.send(new Packet.Chat(null, "message " + i));
            }
            List<String> screen = awaitScreen(lines -> lines.contains("chris: message 20"));

            assertThat(lastLine(screen)).isEqualTo("pat> half typed, don't! \\o/");
            List<String> messages = screen.stream().filter(line -> line.startsWith("chris: ")).toList();
            assertThat(messages).containsExactlyElementsOf(
                    java.util.stream.IntStream.rangeClosed(1, 20).mapToObj(i -> "chris: message " + i).toList());
            assertThat(screen.indexOf("*** pat has joined the chat")).isLessThan(screen.indexOf("chris: message 1"));
            assertThat(screen.stream().filter(line -> line.contains("half typed"))).hasSize(1);

            tmux("send-keys", "-t", "chat", "-l", " and finished");
            tmux("send-keys", "-t", "chat", "Enter");
            for (int i = 1; i <= 20; i++) {
                assertThat(chris.next()).isEqualTo(new Packet.Chat("chris", "message " + i));
            }
            assertThat(chris.next()).isEqualTo(new Packet.Chat("pat", "half typed, don't! \\o/ and finished"));
            awaitScreen(lines -> lines.contains("pat: half typed, don't! \\o/ and finished")
                    && lastLine(lines).equals("pat>"));

            tmux("send-keys", "-t", "chat", "-l", "/q");
            tmux("send-keys", "-t", "chat", "Enter");
            chris.expect(new Packet.Leave("pat"));
            awaitScreen(lines -> lines.contains("exit 0"));
        }
    }

    @Test
    void ctrlCQuitsWithoutSendingTheHalfTypedLine() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris")) {
            startClient("pat");
            chris.expect(new Packet.Join("pat"));
            awaitScreen(screen -> lastLine(screen).equals("pat>"));

            tmux("send-keys", "-t", "chat", "-l", "never sent");
            awaitScreen(screen -> lastLine(screen).equals("pat> never sent"));
            tmux("send-keys", "-t", "chat", "C-c");

            chris.expect(new Packet.Leave("pat"));
            awaitScreen(screen -> screen.contains("exit 0"));
        }
    }

    @Test
    void aSentLineLeavesTheBottomLineAndIsShownOnceAsTheServersCopy() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris")) {
            startClient("pat");
            chris.expect(new Packet.Join("pat"));
            awaitScreen(screen -> lastLine(screen).equals("pat>"));

            tmux("send-keys", "-t", "chat", "-l", "hi all");
            tmux("send-keys", "-t", "chat", "Enter");
            chris.expect(new Packet.Chat("pat", "hi all"));
            List<String> screen = awaitScreen(lines -> lines.contains("pat: hi all") && lastLine(lines).equals("pat>"));

            assertThat(screen).filteredOn(line -> line.contains("hi all")).containsExactly("pat: hi all");
        }
    }

    @Test
    void keysTypedBeforeThePromptAreDroppedAndSigtermLeavesTheShellClean() throws Exception {
        try (ChatTestClient chris = ChatTestClient.join(address, "chris")) {
            Path pidFile = tmuxFolder.resolve("client.pid");
            tmux("new-session", "-d", "-s", "chat", "-x", "100", "-y", Integer.toString(ROWS),
                    // No history file: the shell would write it into the test's folder as the folder is deleted.
                    "env -i PATH=/usr/bin:/bin HOME=" + quoted(tmuxFolder.toString())
                            + " HISTFILE=/dev/null LANG=C.UTF-8 TERM=xterm-256color PS1='SHELL$ ' bash --norc --noprofile -i");
            awaitScreen(screen -> lastLine(screen).equals("SHELL$"));
            // The command, with its long class path, goes in a script: typed into the shell it took
            // readline long enough on a loaded machine to outlast the wait for the screen.
            Path script = java.nio.file.Files.writeString(tmuxFolder.resolve("client.sh"),
                    "echo $$ > " + quoted(pidFile.toString()) + "\nexec " + clientCommand("pat") + "\n");
            tmux("send-keys", "-t", "chat", "-l", "sh " + quoted(script.toString()));
            tmux("send-keys", "-t", "chat", "Enter");
            // Typed at once, while the client starts: before its prompt is there to take them.
            tmux("send-keys", "-t", "chat", "-l", "echo LEAKED");
            tmux("send-keys", "-t", "chat", "Enter");

            chris.expect(new Packet.Join("pat"));
            awaitScreen(screen -> lastLine(screen).equals("pat>"));
            tmux("send-keys", "-t", "chat", "-l", "half typed");
            awaitScreen(screen -> lastLine(screen).equals("pat> half typed"));

            ProcessHandle client = ProcessHandle.of(Long.parseLong(java.nio.file.Files.readString(pidFile).strip()))
                    .orElseThrow();
            client.destroy();   // SIGTERM
            chris.expect(new Packet.Leave("pat"));
            client.onExit().get(ChatTestClient.WAIT.toSeconds(), TimeUnit.SECONDS);
            tmux("send-keys", "-t", "chat", "-l", "echo \"exit $?\"");
            tmux("send-keys", "-t", "chat", "Enter");
            List<String> screen = awaitScreen(lines -> lines.contains("exit 0"));

            int halfTyped = screen.indexOf("pat> half typed");
            assertThat(halfTyped).as("the unfinished prompt line is kept as it was:\n%s", String.join("\n", screen))
                    .isNotNegative();
            assertThat(screen.get(halfTyped + 1)).as("the shell's prompt on a line of its own, with no key left over")
                    .isEqualTo("SHELL$ echo \"exit $?\"");
            assertThat(screen).doesNotContain("LEAKED", "pat: echo LEAKED");
            chris.expectNothing(java.time.Duration.ofMillis(300));
        }
    }

    private String clientCommand(String nick) {
        return Program.launch(List.of("chat-client", nick, "127.0.0.1", Integer.toString(address.getPort())))
                .javaCommand().stream().map(ChatClientTerminalTest::quoted).collect(Collectors.joining(" "));
    }

    private void startClient(String nick) throws Exception {
        String command = clientCommand(nick);
        tmux("new-session", "-d", "-s", "chat", "-x", "100", "-y", Integer.toString(ROWS),
                "env LANG=C.UTF-8 TERM=xterm-256color " + command + "; echo exit $?; sleep 60");
    }

    private static String lastLine(List<String> screen) {
        return screen.isEmpty() ? "" : screen.getLast();
    }

    /** Reads the pane until {@code wanted} holds, with a deadline; the screen's lines, trailing blanks cut. */
    private List<String> awaitScreen(Predicate<List<String>> wanted) throws Exception {
        long deadline = System.nanoTime() + ChatTestClient.WAIT.toNanos();
        List<String> screen = capture();
        while (!wanted.test(screen)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the screen never showed what was expected:\n" + String.join("\n", screen));
            }
            TimeUnit.MILLISECONDS.sleep(50);
            screen = capture();
        }
        return screen;
    }

    private List<String> capture() throws Exception {
        List<String> lines = new ArrayList<>(Arrays.stream(tmux("capture-pane", "-p", "-t", "chat").split("\n"))
                .map(String::stripTrailing).toList());
        while (!lines.isEmpty() && lines.getLast().isEmpty()) {
            lines.removeLast();
        }
        return lines;
    }

    private String tmux(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(tmux.toString(), "-S", tmuxFolder.resolve("tmux.sock").toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(20, TimeUnit.SECONDS)).isTrue();
        if (process.exitValue() != 0 && !args[0].equals("kill-server")) {
            throw new AssertionError("tmux " + String.join(" ", args) + " failed: " + output);
        }
        return output;
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
