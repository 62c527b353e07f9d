package io.selectors4j.apps.chat;

/**
 * How the client shows each packet from the server, one line each: {@code nick: message},
 * {@code *** nick has joined the chat}, {@code *** nick has left the chat}, {@code [nick waves]},
 * {@code nick -> to: message}, {@code *** users: a, b} and {@code *** error: message}. Control
 * characters in what peers sent are shown visibly ({@code ^J} for a line feed, {@code ^[} for escape,
 * {@code \}{@code u0085} for C1 controls), so that a packet is always one line and cannot steer the
 * terminal.
 */
public final class ChatFormat {
    private ChatFormat() {}

    /** The line that shows {@code packet}. */
    public static String line(Packet packet) {
        return switch (packet) {
            case Packet.Chat p -> shown(p.nick()) + ": " + shown(p.message());
            case Packet.Join p -> "*** " + shown(p.nick()) + " has joined the chat";
            case Packet.Leave p -> "*** " + shown(p.nick()) + " has left the chat";
            case Packet.Emote p -> "[" + shown(p.nick()) + " " + shown(p.message()) + "]";
            case Packet.Dm p -> shown(p.nick()) + " -> " + shown(p.to()) + ": " + shown(p.message());
            case Packet.Users p -> "*** users: " + shown(String.join(", ", p.nicks()));
            case Packet.Error p -> "*** error: " + shown(p.message());
            case Packet.Hello _, Packet.Who _ -> throw new IllegalArgumentException("not a server packet: " + packet.type());
        };
    }

    /** {@code text} with its control characters made visible. */
    static String shown(String text) {
        if (text == null || text.codePoints().noneMatch(Character::isISOControl)) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 8);
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7F) {
                out.append('^').append((char) (c ^ 0x40));
            } else if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
