package io.selectors4j.apps.chat;

/**
 * What a line typed into the chat client means: a packet to send, quitting, a help line to show, or
 * nothing (an empty line). {@code /me ACTION}, {@code /msg NICK TEXT}, {@code /who} and {@code /q}
 * are commands; a line starting with {@code //} is sent as chat with one slash removed.
 */
public sealed interface ClientInput {

    /** Send this packet. */
    record Send(Packet packet) implements ClientInput { }

    /** Quit without sending anything. */
    record Quit() implements ClientInput { }

    /** Show this line to the user and send nothing. */
    record Help(String line) implements ClientInput { }

    /** Do nothing: the line was empty. */
    record Nothing() implements ClientInput { }

    /** The help line shown for an unknown or malformed command. */
    String HELP = "*** commands: /me ACTION, /msg NICK TEXT, /who, /q to quit (start a line with // to send a /)";

    /** What {@code line} asks for. */
    static ClientInput parse(String line) {
        if (line.isBlank()) {
            return new Nothing();
        }
        if (!line.startsWith("/")) {
            return new Send(new Packet.Chat(null, line));
        }
        if (line.startsWith("//")) {
            return new Send(new Packet.Chat(null, line.substring(1)));
        }
        String[] words = line.split(" ", 2);
        String rest = words.length > 1 ? words[1] : "";
        return switch (words[0]) {
            case "/q" -> rest.isBlank() ? new Quit() : new Help(HELP);
            case "/who" -> rest.isBlank() ? new Send(new Packet.Who()) : new Help(HELP);
            case "/me" -> rest.isBlank() ? new Help("*** usage: /me ACTION") : new Send(new Packet.Emote(null, rest));
            case "/msg" -> directMessage(rest);
            default -> new Help(HELP);
        };
    }

    private static ClientInput directMessage(String rest) {
        String[] parts = rest.split(" ", 2);
        if (parts.length < 2 || parts[0].isEmpty() || parts[1].isBlank()) {
            return new Help("*** usage: /msg NICK TEXT");
        }
        return new Send(new Packet.Dm(null, parts[0], parts[1]));
    }
}
