package io.sekisho.policy.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The word-at-a-time searches of {@link PostForm} find exactly what a byte-by-byte search finds. */
class PostFormSearchTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            at the start                  | --abcdefgh-rest                       | --abcdefgh  | 0
            in the middle                 | xx\\r\\n--abcdefgh\\r\\n              | \\r\\n--abcdefgh | 2
            at the very end               | xxxxxxxx--abcdefgh                    | --abcdefgh  | 8
            absent                        | xxxxxxxx--abcdefgX                    | --abcdefgh  | -1
            overlapping prefix            | ------------abcdefgh                  | ----------abcdefgh | 2
            last byte repeated            | hhhhhhhhhhhhhhhh--abcdefgh            | --abcdefgh  | 16
            hay shorter than needle       | --abc                                 | --abcdefgh  | -1
            short needle                  | ab\\r\\n\\r\\ncd                      | \\r\\n\\r\\n | 2
            non-ASCII needle              | xx--abcdéfgh                      | --abcdéfgh  | 2
            non-ASCII body byte           | ééééééééé--abcdefgh                 | --abcdefgh  | 9
            """)
    void findsTheBoundary(String name, String hay, String needle, int expected) {
        byte[] h = bytes(hay);
        byte[] n = bytes(needle);
        assertThat(PostForm.indexOf(h, n, 0, 0, h.length)).isEqualTo(expected);
        assertThat(byteByByte(h, n, 0, 0, h.length)).isEqualTo(expected);
    }

    @Test
    void agreesWithTheByteByByteSearchOnGeneratedBodies() {
        byte[] alphabet = "-\r\nab0189xyzAZ+/=".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(20261122L);
        int found = 0;
        for (int n = 0; n < 20_000; n++) {
            byte[] needle = new byte[2 + random.nextInt(14)];
            for (int i = 0; i < needle.length; i++) {
                needle[i] = alphabet[random.nextInt(4)]; // few distinct bytes: many near-misses
            }
            byte[] hay = new byte[random.nextInt(200)];
            for (int i = 0; i < hay.length; i++) {
                hay[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : alphabet[random.nextInt(4)];
            }
            if (hay.length > needle.length && random.nextBoolean()) {
                System.arraycopy(needle, 0, hay, random.nextInt(hay.length - needle.length), needle.length);
            }
            if (hay.length > 0 && random.nextInt(4) == 0) {
                hay[random.nextInt(hay.length)] = (byte) 0xe9; // a non-ASCII byte in the body
            }
            int skip = random.nextInt(Math.min(3, needle.length - 1)); // the parser skips 0 or 2

            int from = hay.length == 0 ? 0 : random.nextInt(hay.length);
            int expected = byteByByte(hay, needle, skip, from, hay.length);
            assertThat(PostForm.indexOf(hay, needle, skip, from, hay.length)).isEqualTo(expected);
            found += expected >= 0 ? 1 : 0;
        }
        assertThat(found).as("searches that found the needle").isGreaterThan(2_000);
    }

    @Test
    void findsEveryByteValueAtEveryOffset() {
        Random random = new Random(20261122L);
        for (int n = 0; n < 20_000; n++) {
            byte[] hay = new byte[random.nextInt(40)];
            random.nextBytes(hay);
            byte c = (byte) random.nextInt(256);
            if (hay.length > 0 && random.nextBoolean()) {
                hay[random.nextInt(hay.length)] = c;
            }
            int from = hay.length == 0 ? 0 : random.nextInt(hay.length);
            int to = from + random.nextInt(hay.length - from + 1);
            assertThat(PostForm.indexOfByte(hay, c, from, to)).isEqualTo(byteByByte(hay, new byte[] {c}, 0, from, to));
        }
    }

    /** The reference: every position in turn. */
    private static int byteByByte(byte[] hay, byte[] needle, int skip, int from, int to) {
        int len = needle.length - skip;
        outer:
        for (int i = from; i <= to - len; i++) {
            for (int k = 0; k < len; k++) {
                if (hay[i + k] != needle[skip + k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static byte[] bytes(String s) {
        return s.replace("\\r", "\r").replace("\\n", "\n").getBytes(StandardCharsets.ISO_8859_1);
    }
}
