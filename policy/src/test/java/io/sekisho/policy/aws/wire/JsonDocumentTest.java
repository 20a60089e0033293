package io.sekisho.policy.aws.wire;

import io.sekisho.policy.Rejection;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sekisho.policy.Reason;
import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class JsonDocumentTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of("{}", Map.of()),
                Arguments.of(" {\"a\" : \"b\" } ", Map.of("a", "b")),
                Arguments.of("{\"s\":\"\\u0041\\n\\\"\\/\"}", Map.of("s", "A\n\"/")),
                Arguments.of("{\"n\":-1.5e3,\"t\":true,\"f\":false}", Map.of("n", new BigDecimal("-1.5e3"), "t", true, "f", false)),
                Arguments.of("[1,[2],{\"x\":[]}]", List.of(new BigDecimal("1"), List.of(new BigDecimal("2")), Map.of("x", List.of()))),
                Arguments.of("\"plain\"", "plain"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void parses(String text, Object expected) throws Rejection {
        assertThat(JsonDocument.parse(text, Reason.BODY_MALFORMED)).isEqualTo(expected);
    }

    static Stream<String> invalid() {
        return Stream.of("", "{", "{\"a\":}", "{\"a\":\"b\",}", "{a:1}", "{\"a\":\"b\"} x", "[1,]", "\"unterminated",
                "\"bad \\x escape\"", "\"ctl \u0001 char\"", "01", "-", "1.", "tru", "{\"a\":1,\"a\":2}",
                "\"\\u12\"", "{\"a\" 1}", "{\"a\":01}", "{\"a\":\"\\u00G0\"}", "{\"a\":\"\\u+123\"}", "{\"a\":[1 2]}",
                "{\"a\":\"open}", "{\"a\":1}x", "[".repeat(JsonDocument.MAX_DEPTH + 2) + "]".repeat(JsonDocument.MAX_DEPTH + 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalid")
    void refuses(String text) {
        assertThatThrownBy(() -> JsonDocument.parse(text, Reason.AWS_CREDENTIAL_MALFORMED)).isInstanceOf(Rejection.class)
                .satisfies(e -> assertThat(((Rejection) e).reason()).isEqualTo(Reason.AWS_CREDENTIAL_MALFORMED));
    }

    @Test
    void nullIsItsOwnValue() throws Rejection {
        Map<String, Object> m = JsonDocument.parseObject("{\"a\":null}", Reason.BODY_MALFORMED);
        assertThat(m.get("a")).isSameAs(JsonDocument.NULL);
        assertThat(JsonDocument.string(m, "a")).isNull();
    }

    @Test
    void aNonObjectIsRefusedWhereAnObjectIsExpected() {
        assertThatThrownBy(() -> JsonDocument.parseObject("[]", Reason.BODY_MALFORMED)).isInstanceOf(Rejection.class);
    }
}
