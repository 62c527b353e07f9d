package io.selectors4j.apps.chat;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import io.selectors4j.apps.common.TimeoutConverter;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Queue;
import java.util.function.Consumer;

/**
 * The chat server's rules, apart from any transport: connections {@linkplain #connect join} the
 * room, hand it the bytes they receive, and get frames back through their {@link ChatSession}. Every
 * rule of the protocol is here: hello before anything else and only once, unique valid nicks, chat
 * and emote to everyone, dm to the target and the sender, who answered with the users in the order
 * they joined (in several users packets when they do not fit in one frame), leave to those
 * remaining, and an {@code error} for every bad packet (closing the connection when its bytes cannot
 * be parsed, or after {@link #MAX_ERRORS_IN_A_ROW} bad packets with no good one between them).
 *
 * <p>A room belongs to one thread (the event loop's). A session may close its connection while a
 * frame is being sent to it (a peer that stopped reading): the departure is then handled once the
 * current delivery is over, so every remaining member gets every packet in the same order.
 */
public final class ChatRoom {
    /**
     * Bad packets in a row after which a connection is closed: a client that only ever sends what the
     * server must refuse would otherwise make it answer without end, at the expense of everyone else.
     */
    static final int MAX_ERRORS_IN_A_ROW = 32;

    private final Consumer<String> log;
    private final PacketEncoder encoder = new PacketEncoder();
    private final PacketDecoder decoder = new PacketDecoder(Direction.FROM_CLIENT);
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final Queue<Member> departing = new ArrayDeque<>();
    private boolean delivering;

    /** A room that logs joins, leaves and errors, one line each, to {@code log}. */
    public ChatRoom(Consumer<String> log) {
        this.log = Objects.requireNonNull(log, "log");
    }

    /** A new connection, not yet in the room until it says hello. */
    public Member connect(ChatSession session) {
        return new Member(Objects.requireNonNull(session, "session"));
    }

    /** How many users have joined. */
    public int size() {
        return members.size();
    }

    /** One connection to the room: feed it what the peer sends and tell it when the peer is gone. */
    public final class Member {
        private final ChatSession session;
        private final FrameDecoder frames = new FrameDecoder();
        private String nick;
        private boolean gone;
        private int errorsInARow;

        private Member(ChatSession session) {
            this.session = session;
        }

        /** Takes bytes the peer sent, cut anywhere; every complete packet in them is handled. */
        public void received(byte[] data, int off, int len) {
            if (!gone) {
                frames.feed(data, off, len, this::frame);
            }
        }

        /** The peer has gone (or its connection was dropped): those remaining see it leave. */
        public void disconnected() {
            if (gone) {
                return;
            }
            gone = true;
            if (frames.midFrame()) {
                log.accept(name() + " disconnected in the middle of a packet");
            }
            if (delivering) {
                departing.add(this);
            } else {
                depart(this);
            }
        }

        /**
         * The time to say hello is over: a connection that has not joined gets an error saying so and
         * is closed (it held a place without using it); one that has joined is left alone.
         */
        public void helloTimedOut(Duration limit) {
            if (gone || nick != null) {
                return;
            }
            String message = "no hello within " + TimeoutConverter.seconds(limit);
            log.accept(session.peer() + " " + message + ", closing");
            send(this, encoder.encode(new Packet.Error(message)));
            session.close();
            disconnected();
        }

        /** The nick this connection joined with, if it has. */
        public Optional<String> nick() {
            return Optional.ofNullable(nick);
        }

        private boolean frame(byte[] data, int off, int len) {
            try {
                handle(decoder.decode(data, off, len));
                errorsInARow = 0;
                return !gone;
            } catch (ChatProtocolException e) {
                boolean tooMany = ++errorsInARow >= MAX_ERRORS_IN_A_ROW;
                log.accept(name() + " error: " + e.getMessage() + (e.fatal() ? ", closing"
                        : tooMany ? ", closing after " + MAX_ERRORS_IN_A_ROW + " errors in a row" : ""));
                send(this, encoder.encode(new Packet.Error(e.getMessage())));
                if (e.fatal() || tooMany) {
                    session.close();
                    disconnected();
                    return false;
                }
                return !gone;
            }
        }

        private void handle(Packet packet) throws ChatProtocolException {
            if (packet instanceof Packet.Hello hello) {
                hello(hello.nick());
                return;
            }
            if (nick == null) {
                throw ChatProtocolException.refused("say hello first");
            }
            switch (packet) {
                case Packet.Chat chat -> broadcast(new Packet.Chat(nick, chat.message()));
                case Packet.Emote emote -> broadcast(new Packet.Emote(nick, emote.message()));
                case Packet.Dm dm -> directMessage(dm.to(), dm.message());
                case Packet.Who _ -> sendUsers(List.copyOf(members.keySet()));
                default -> throw new IllegalStateException("not a client packet: " + packet.type());
            }
        }

        /** Answers who: one users packet, or several in order when the nicks do not fit in one frame. */
        private void sendUsers(List<String> nicks) {
            try {
                send(this, encoder.encode(new Packet.Users(nicks)));
            } catch (FrameTooLargeException e) {
                int half = nicks.size() / 2;
                sendUsers(nicks.subList(0, half));
                sendUsers(nicks.subList(half, nicks.size()));
            }
        }

        private void hello(String wanted) throws ChatProtocolException {
            if (nick != null) {
                throw ChatProtocolException.refused("already joined as " + nick);
            }
            Optional<String> problem = Nicks.problem(wanted);
            if (problem.isPresent()) {
                throw ChatProtocolException.refused(problem.get());
            }
            if (members.containsKey(wanted)) {
                throw ChatProtocolException.refused("nick already in use: " + wanted);
            }
            nick = wanted;
            members.put(nick, this);
            session.joined();
            log.accept(session.peer() + " joined as " + nick);
            broadcast(new Packet.Join(nick));
        }

        private void directMessage(String to, String message) throws ChatProtocolException {
            Member target = members.get(to);
            if (target == null) {
                throw ChatProtocolException.refused("no such user: " + ChatProtocolException.shortened(to));
            }
            byte[] frame = encodeOrRefuse(new Packet.Dm(nick, to, message));
            deliver(() -> {
                send(target, frame);
                if (target != this) {
                    send(this, frame);
                }
            });
        }

        private String name() {
            return nick == null ? session.peer() : session.peer() + " " + nick;
        }
    }

    private void broadcast(Packet packet) throws ChatProtocolException {
        byte[] frame = encodeOrRefuse(packet);
        deliver(() -> {
            for (Member member : members.values()) {
                send(member, frame);
            }
        });
    }

    private byte[] encodeOrRefuse(Packet packet) throws ChatProtocolException {
        try {
            return encoder.encode(packet);
        } catch (FrameTooLargeException e) {
            throw ChatProtocolException.refused("message too long");
        }
    }

    private static void send(Member member, byte[] frame) {
        if (!member.gone) {
            member.session.send(frame);
        }
    }

    /** Runs a delivery, then handles the departures it caused, each with its own leave delivery. */
    private void deliver(Runnable delivery) {
        if (delivering) {
            delivery.run();
            return;
        }
        delivering = true;
        try {
            delivery.run();
            for (Member member = departing.poll(); member != null; member = departing.poll()) {
                leave(member);
            }
        } finally {
            delivering = false;
        }
    }

    private void depart(Member member) {
        deliver(() -> leave(member));
    }

    private void leave(Member member) {
        if (member.nick == null || members.get(member.nick) != member) {
            return;
        }
        members.remove(member.nick);
        log.accept(member.session.peer() + " " + member.nick + " left");
        byte[] frame = encoder.encode(new Packet.Leave(member.nick));
        for (Member remaining : members.values()) {
            send(remaining, frame);
        }
    }
}
