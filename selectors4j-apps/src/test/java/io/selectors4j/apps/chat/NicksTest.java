package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The nick rules the server applies to hello and the client to its NICK argument. */
class NicksTest {

    @ParameterizedTest(name = "[{index}] {1}")
    @CsvSource(delimiter = '|', value = {
        "''                      | nick must be 1 to 32 characters",
        "' '                     | nick must not be blank",
        "'   '                   | nick must not be blank",
        "' pat'                  | nick must not start or end with a space",
        "'pat '                  | nick must not start or end with a space",
        "'tab\\there'            | nick must not contain control characters",
        "'mal\\u202Eory'         | nick must not contain invisible or format characters (U+202E)",
        "'\\u2067pat\\u2069'     | nick must not contain invisible or format characters (U+2067)",
        "'pat\\u200B'            | nick must not contain invisible or format characters (U+200B)",
        "'pa\\u200Dt'            | nick must not contain invisible or format characters (U+200D)",
        "'\\uFEFFpat'            | nick must not contain invisible or format characters (U+FEFF)",
        "'pa\\u00ADt'            | nick must not contain invisible or format characters (U+00AD)",
        "'pat\\u00A0'            | nick must not contain invisible or format characters (U+00A0)",
        "'\\u3000'               | nick must not contain invisible or format characters (U+3000)",
        "'p\\u2028at'            | nick must not contain invisible or format characters (U+2028)",
        "'\\u3164'               | nick must not contain invisible or format characters (U+3164)",
        "'pat\\u034F'            | nick must not contain invisible or format characters (U+034F)",
        "'\\u2764\\uFE0F'        | nick must not contain invisible or format characters (U+FE0F)",
        "'\\u2800\\u2800'        | nick must not contain invisible or format characters (U+2800)",
        "'pat\\uDB40\\uDC01'     | nick must not contain invisible or format characters (U+E0001)",
        "'pat\\uD800'            | nick must not contain invisible or format characters (U+D800)"})
    void refusedWithItsReason(String nick, String reason) {
        assertThat(Nicks.problem(unescape(nick))).contains(reason);
    }

    @ParameterizedTest
    @ValueSource(strings = {"pat", "Zoë", "mal ory", "a b c", "日本語", "Ωmega", "😀", "\u2764", "x", "chris_99",
            "👩🏽"})
    void accepted(String nick) {
        assertThat(Nicks.problem(nick)).isEmpty();
    }

    /** CsvSource keeps backslashes: {@code \\uXXXX} and {@code \\t} are turned into what they name here. */
    private static String unescape(String text) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && text.charAt(i + 1) == 'u') {
                out.append((char) Integer.parseInt(text.substring(i + 2, i + 6), 16));
                i += 5;
            } else if (c == '\\' && text.charAt(i + 1) == 't') {
                out.append('\t');
                i++;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
