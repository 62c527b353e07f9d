package io.selectors4j.apps.chat;

import java.util.Locale;
import java.util.Optional;

/**
 * The rules of a nick, the same for the server (on hello) and the client (before it connects): 1 to 32
 * characters (code points); no control character; no character that shows nothing or changes how
 * others are shown; not blank, and no space at either end. A nick must look like what it is, so that
 * no one can pass for someone else: {@code "mal\u202eory"} (a right-to-left override) would show as
 * {@code malyro}, {@code "pat\u200b"} (a zero-width space) as {@code pat}.
 *
 * <p>Refused as invisible or format characters: the Unicode category Cf (format: bidi controls, zero-width
 * space and joiners, the word joiner, soft hyphen, BOM, tags), unpaired surrogates, the line and
 * paragraph separators, every space but U+0020 (no-break, en, em, thin, ideographic...), and the other
 * default-ignorable code points (U+034F combining grapheme joiner, the Hangul fillers, the Khmer
 * inherent vowels, the Mongolian and other variation selectors) and U+2800, the blank braille pattern.
 * So an emoji sequence glued with a joiner or a variation selector is refused; single emoji are not.
 */
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
        Optional<Integer> invisible = nick.codePoints().filter(Nicks::invisible).boxed().findFirst();
        if (invisible.isPresent()) {
            return Optional.of("nick must not contain invisible or format characters ("
                    + String.format(Locale.ROOT, "U+%04X", invisible.get()) + ")");
        }
        if (nick.isBlank()) {
            return Optional.of("nick must not be blank");
        }
        if (nick.startsWith(" ") || nick.endsWith(" ")) {
            return Optional.of("nick must not start or end with a space");
        }
        return Optional.empty();
    }

    /** Whether {@code c} shows nothing, shows as a space other than U+0020, or changes how text around it shows. */
    static boolean invisible(int c) {
        return switch (Character.getType(c)) {
            case Character.FORMAT, Character.SURROGATE, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            case Character.SPACE_SEPARATOR -> c != ' ';
            default -> c == 0x034F                      // combining grapheme joiner
                    || c == 0x115F || c == 0x1160         // Hangul choseong and jungseong fillers
                    || c == 0x17B4 || c == 0x17B5         // Khmer inherent vowels
                    || (c >= 0x180B && c <= 0x180F)       // Mongolian free variation selectors
                    || (c >= 0x2060 && c <= 0x206F)       // word joiner, invisible operators, reserved
                    || c == 0x2800                        // braille pattern blank
                    || c == 0x3164 || c == 0xFFA0         // Hangul fillers
                    || (c >= 0xFE00 && c <= 0xFE0F)       // variation selectors
                    || (c >= 0xFFF0 && c <= 0xFFF8)       // reserved, default ignorable
                    || (c >= 0xE0000 && c <= 0xE0FFF);    // tags, variation selectors supplement, reserved
        };
    }
}
