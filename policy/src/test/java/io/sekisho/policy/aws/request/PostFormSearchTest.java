package io.sekisho.policy.aws.request;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The delimiter and byte searches of {@link PostForm} find exactly what a byte-by-byte search finds. */
class PostFormSearchTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            first, at the start           | --abcdefgh-rest                       | abcdefgh | false | 0
            first, after a preamble       | preamble\\r\\n--abcdefgh\\r\\n        | abcdefgh | false | 10
            in the middle                 | xx\\r\\n--abcdefgh\\r\\n              | abcdefgh | true  | 2
            at the very end               | xxxxxx\\r\\n--abcdefgh                  | abcdefgh | true  | 6
            absent                        | xxxxxx\\r\\n--abcdefgX                  | abcdefgh | true  | -1
            without its CRLF              | xxxxxxxx--abcdefgh                    | abcdefgh | true  | -1
            CRLF only on the second       | x\\n--abcdefgh\\r\\n--abcdefgh          | abcdefgh | true  | 12
            overlapping prefix            | \\r\\n--\\r\\n----abcdefgh              | --abcdefgh | false | 6
            last byte repeated            | hhhhhhhhhhhhhhhh\\r\\n--abcdefgh        | abcdefgh | true  | 16
            hay shorter than delimiter    | --abc                                 | abcdefgh | false | -1
            one-byte boundary             | ab\\r\\n--x                             | x        | true  | 2
            non-ASCII boundary            | xx\\r\\n--abcdéfgh                  | abcdéfgh | true  | 2
            non-ASCII body byte           | ééééééééé\\r\\n--abcdefgh             | abcdefgh | true  | 9
            """)
    void findsTheDelimiter(String name, String hay, String boundary, boolean crlf, int expected) {
        byte[] h = bytes(hay);
        byte[] delimiter = bytes("\\r\\n--" + boundary);
        assertThat(new PostForm.Delimiter(delimiter).indexIn(h, 0, h.length, crlf)).isEqualTo(expected);
        assertThat(byteByByte(h, delimiter, crlf ? 0 : 2, 0, h.length)).isEqualTo(expected);
    }

    @Test
    void agreesWithTheByteByByteSearchOnGeneratedBodies() {
        byte[] alphabet = "-\r\nab0189xyzAZ+/=".getBytes(StandardCharsets.ISO_8859_1);
        Random random = new Random(20261122L);
        int found = 0;
        for (int n = 0; n < 40_000; n++) {
            byte[] boundary = new byte[1 + random.nextInt(14)];
            for (int i = 0; i < boundary.length; i++) {
                boundary[i] = alphabet[random.nextInt(6)]; // few distinct bytes: many near-misses
            }
            byte[] delimiter = new byte[boundary.length + 4];
            delimiter[0] = '\r';
            delimiter[1] = '\n';
            delimiter[2] = '-';
            delimiter[3] = '-';
            System.arraycopy(boundary, 0, delimiter, 4, boundary.length);
            byte[] hay = new byte[random.nextInt(200)];
            for (int i = 0; i < hay.length; i++) {
                hay[i] = random.nextInt(3) == 0 ? alphabet[random.nextInt(alphabet.length)] : alphabet[random.nextInt(6)];
            }
            if (hay.length > delimiter.length && random.nextBoolean()) {
                int at = random.nextInt(hay.length - delimiter.length);
                System.arraycopy(delimiter, 0, hay, at, delimiter.length);
                if (random.nextInt(4) == 0) {
                    hay[at] = 'x'; // the dashes and boundary without the CRLF
                }
            }
            if (hay.length > 0 && random.nextInt(4) == 0) {
                hay[random.nextInt(hay.length)] = (byte) 0xe9; // a non-ASCII byte in the body
            }
            boolean crlf = random.nextInt(4) != 0;
            int from = hay.length == 0 ? 0 : random.nextInt(hay.length);
            int expected = byteByByte(hay, delimiter, crlf ? 0 : 2, from, hay.length);
            assertThat(new PostForm.Delimiter(delimiter).indexIn(hay, from, hay.length, crlf)).isEqualTo(expected);
            found += expected >= 0 ? 1 : 0;
        }
        assertThat(found).as("searches that found the delimiter").isGreaterThan(4_000);
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
