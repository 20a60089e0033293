package io.sekisho.policy.aws.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class JsonFieldsTest {
    @Test
    void readsObjectsArraysStringsAndEscapes() {
        Map<String, Object> m = JsonFields.object(" {\"a\" : \"x\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0041\", \"b\": [ ], \"c\": {},"
                + " \"d\": [1, -2.5e3, true, false, null, \"s\"], \"e\": {\"f\": [\"g\"]}}\n");
        assertThat(m).isNotNull();
        assertThat(m.get("a")).isEqualTo("x\"\\/\b\f\n\r\tA");
        assertThat(m.get("b")).isEqualTo(List.of());
        assertThat(m.get("c")).isEqualTo(Map.of());
        assertThat((List<?>) m.get("d")).hasSize(6).element(5).isEqualTo("s");
        assertThat(((List<?>) m.get("d")).get(0)).isSameAs(JsonFields.OTHER);
        assertThat(m.get("e")).isEqualTo(Map.of("f", List.of("g")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "[]", "\"s\"", "{", "{\"a\":1,\"a\":2}", "{\"a\":1}x", "{a:1}", "{\"a\" 1}",
        "{\"a\":tru}", "{\"a\":01}", "{\"a\":\"\\x\"}", "{\"a\":\"\\u00G0\"}", "{\"a\":\"\\u+123\"}", "{\"a\":[1 2]}",
        "{\"a\":\"\u0001\"}", "{\"a\":\"open}", "{\"a\":1,}"})
    void refusesWhatIsNotOneWellFormedObject(String text) {
        assertThat(JsonFields.object(text)).isNull();
    }

    @Test
    void refusesDeepNesting() {
        assertThat(JsonFields.object("{\"a\":" + "[".repeat(40) + "]".repeat(40) + "}")).isNull();
    }
}
