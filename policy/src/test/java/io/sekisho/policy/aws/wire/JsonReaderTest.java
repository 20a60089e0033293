package io.sekisho.policy.aws.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.sekisho.policy.aws.wire.JsonReader.Token;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The one JSON reader: its tokens, and where its two modes part. */
class JsonReaderTest {

    private static String tokens(JsonReader r) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 64; i++) {
            Token t = r.next();
            out.add(t == Token.NAME || t == Token.STRING ? t + ":" + r.decoded()
                    : t == Token.NUMBER ? t + ":" + r.source().subSequence(r.start(), r.limit()) : t.toString());
            if (t == Token.END || t == Token.MALFORMED) {
                break;
            }
        }
        return String.join(" ", out);
    }

    static Stream<Arguments> both() {
        return Stream.of(
                Arguments.of("{}", "BEGIN_OBJECT END_OBJECT END"),
                Arguments.of(" { \"a\" : [ 1 , \"x\" , true , null , false ] } ",
                        "BEGIN_OBJECT NAME:a BEGIN_ARRAY NUMBER:1 STRING:x TRUE NULL FALSE END_ARRAY END_OBJECT END"),
                Arguments.of("{\"\\u0061\":{\"b\":[]}}",
                        "BEGIN_OBJECT NAME:a BEGIN_OBJECT NAME:b BEGIN_ARRAY END_ARRAY END_OBJECT END_OBJECT END"),
                Arguments.of("-1.5e3", "NUMBER:-1.5e3 END"),
                Arguments.of("{\"a\":1,}", "BEGIN_OBJECT NAME:a NUMBER:1 MALFORMED"),
                Arguments.of("[1,]", "BEGIN_ARRAY NUMBER:1 MALFORMED"),
                Arguments.of("[1 2]", "BEGIN_ARRAY NUMBER:1 MALFORMED"),
                Arguments.of("{\"a\" 1}", "BEGIN_OBJECT MALFORMED"),
                Arguments.of("{a:1}", "BEGIN_OBJECT MALFORMED"),
                Arguments.of("[}", "BEGIN_ARRAY MALFORMED"),
                Arguments.of("{]", "BEGIN_OBJECT MALFORMED"),
                Arguments.of("{} {}", "BEGIN_OBJECT END_OBJECT MALFORMED"),
                Arguments.of("\"open", "MALFORMED"),
                Arguments.of("", "MALFORMED"),
                Arguments.of("nul", "MALFORMED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("both")
    void structureIsTheSameInBothModes(String text, String expected) {
        assertThat(tokens(JsonReader.strict(text))).isEqualTo(expected);
        assertThat(tokens(JsonReader.lenient(text, 0, text.length()))).isEqualTo(expected);
    }

    /** Words AWS refuses: the scanner reads past them (the service refuses the body), the tree reader does not. */
    static Stream<Arguments> words() {
        return Stream.of(
                Arguments.of("[01]", "BEGIN_ARRAY NUMBER:0 MALFORMED", "BEGIN_ARRAY NUMBER:01 END_ARRAY END"),
                Arguments.of("[1.]", "BEGIN_ARRAY MALFORMED", "BEGIN_ARRAY NUMBER:1. END_ARRAY END"),
                Arguments.of("[-]", "BEGIN_ARRAY MALFORMED", "BEGIN_ARRAY NUMBER:- END_ARRAY END"),
                Arguments.of("[1e]", "BEGIN_ARRAY MALFORMED", "BEGIN_ARRAY NUMBER:1e END_ARRAY END"),
                Arguments.of("[\"a\u0001\"]", "BEGIN_ARRAY MALFORMED", "BEGIN_ARRAY STRING:a\u0001 END_ARRAY END"),
                Arguments.of("[truex]", "BEGIN_ARRAY TRUE MALFORMED", "BEGIN_ARRAY MALFORMED"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("words")
    void wordsPartTheModes(String text, String strict, String lenient) {
        assertThat(tokens(JsonReader.strict(text))).isEqualTo(strict);
        assertThat(tokens(JsonReader.lenient(text, 0, text.length()))).isEqualTo(lenient);
    }

    @Test
    void aBadEscapeIsFoundOnlyWhenTheStringIsDecoded() {
        JsonReader r = JsonReader.lenient("[\"a\\qb\"]", 0, 8);
        assertThat(r.next()).isEqualTo(Token.BEGIN_ARRAY);
        assertThat(r.next()).isEqualTo(Token.STRING);
        assertThat(r.escaped()).isTrue();
        assertThat(r.decoded()).isNull();
        assertThat(r.next()).isEqualTo(Token.END_ARRAY);
        assertThat(r.next()).isEqualTo(Token.END);
    }

    @Test
    void readsASpanOnly() {
        String s = "xx{\"a\":1}yy";
        JsonReader r = JsonReader.lenient(s, 2, 9);
        assertThat(tokens(r)).isEqualTo("BEGIN_OBJECT NAME:a NUMBER:1 END_OBJECT END");
    }

    @Test
    void nestingBeyondTheBoundIsMalformed() {
        int n = JsonReader.MAX_NESTING + 1;
        JsonReader r = JsonReader.strict("[".repeat(n) + "]".repeat(n));
        Token last = null;
        for (int i = 0; i <= n; i++) {
            last = r.next();
        }
        assertThat(last).isEqualTo(Token.MALFORMED);
        int ok = JsonReader.MAX_NESTING;
        JsonReader deep = JsonReader.strict("[".repeat(ok) + "]".repeat(ok));
        for (int i = 0; i < 2 * ok; i++) {
            assertThat(deep.next()).isNotEqualTo(Token.MALFORMED);
        }
        assertThat(deep.next()).isEqualTo(Token.END);
    }
}
