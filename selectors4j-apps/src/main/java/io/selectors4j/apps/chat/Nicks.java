package io.selectors4j.apps.chat;

import java.util.Optional;

/** The rules of a nick: 1 to 32 characters (code points), none of them a control character. */
public final class Nicks {
    /** The most characters a nick may have. */
    public static final int MAX_LENGTH = 32;

    private Nicks() {}

    /** What is wrong with {@code nick}, in words for its user, or empty when it is a valid nick. */
    public static Optional<String> problem(String nick) {
        int length = nick.codePointCount(0, nick.length());
        if (length < 1 || length > MAX_LENGTH) {
            return Optional.of("nick must be 1 to " + MAX_LENGTH + " characters");
        }
        if (nick.codePoints().anyMatch(Character::isISOControl)) {
            return Optional.of("nick must not contain control characters");
        }
        return Optional.empty();
    }
}
