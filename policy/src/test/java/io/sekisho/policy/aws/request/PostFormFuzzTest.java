package io.sekisho.policy.aws.request;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;

/**
 * Fuzz target (docs/fuzzing.md): S3 POST forms. The input's first line is the boundary, the
 * rest the body's bytes. The one-pass {@link PostForm} must read every form exactly as the
 * parser it replaced ({@link PostFormReference}) does, field for field
 * ({@link PostFormEquivalenceTest#assertSame}), and neither may throw.
 */
class PostFormFuzzTest {

    @FuzzTest
    void parse(byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        int nl = text.indexOf('\n');
        if (nl < 0) {
            return;
        }
        PostFormEquivalenceTest.assertSame(text.substring(nl + 1), text.substring(0, nl));
    }
}
