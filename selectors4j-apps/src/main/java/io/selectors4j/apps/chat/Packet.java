package io.selectors4j.apps.chat;

import java.util.List;
import java.util.Objects;

/**
 * One chat packet, in either direction. A client leaves out the sender's {@code nick} of
 * {@link Chat}, {@link Emote} and {@link Dm} (the server knows who sent it), so there it is
 * {@code null}; the server always fills it in.
 */
public sealed interface Packet {

    /** The JSON {@code type} of this packet. */
    String type();

    /** {@code hello}: the first packet of a client, naming its user. */
    record Hello(String nick) implements Packet {
        /** Refuses a missing nick. */
        public Hello {
            Objects.requireNonNull(nick, "nick");
        }

        @Override
        public String type() {
            return "hello";
        }
    }

    /** {@code chat}: a line typed by a user; the server sends it to everyone with the sender's nick. */
    record Chat(String nick, String message) implements Packet {
        /** Refuses a missing message. */
        public Chat {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "chat";
        }
    }

    /** {@code join}: a user has joined; sent to everyone, the joiner included. */
    record Join(String nick) implements Packet {
        /** Refuses a missing nick. */
        public Join {
            Objects.requireNonNull(nick, "nick");
        }

        @Override
        public String type() {
            return "join";
        }
    }

    /** {@code leave}: a user has gone; sent to those who remain. */
    record Leave(String nick) implements Packet {
        /** Refuses a missing nick. */
        public Leave {
            Objects.requireNonNull(nick, "nick");
        }

        @Override
        public String type() {
            return "leave";
        }
    }

    /** {@code emote}: an action, {@code /me waves}, shown as {@code [pat waves]}. */
    record Emote(String nick, String message) implements Packet {
        /** Refuses a missing message. */
        public Emote {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "emote";
        }
    }

    /** {@code dm}: a private message to one user, sent to the target and the sender. */
    record Dm(String nick, String to, String message) implements Packet {
        /** Refuses a missing target or message. */
        public Dm {
            Objects.requireNonNull(to, "to");
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "dm";
        }
    }

    /** {@code who}: asks for the list of users. */
    record Who() implements Packet {
        @Override
        public String type() {
            return "who";
        }
    }

    /** {@code users}: the answer to {@code who}, the nicks in the order they joined. */
    record Users(List<String> nicks) implements Packet {
        /** Keeps an unmodifiable copy of the nicks. */
        public Users {
            nicks = List.copyOf(nicks);
        }

        @Override
        public String type() {
            return "users";
        }
    }

    /** {@code error}: the server refused something this client sent. */
    record Error(String message) implements Packet {
        /** Refuses a missing message. */
        public Error {
            Objects.requireNonNull(message, "message");
        }

        @Override
        public String type() {
            return "error";
        }
    }
}
