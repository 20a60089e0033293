package io.sekisho.proxy.block;

import io.sekisho.policy.Nullable;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Renders the body of a block response in one dialect. {@link BlockResponses} asks its
 * renderers in order and uses the first answer; the plain-text renderer, last, always answers.
 */
@FunctionalInterface
public interface BlockRenderer {

    /** The body for this block, or null when this renderer does not apply. */
    @Nullable Body render(BlockContext context);

    /**
     * A rendered body: its media type, bytes, and the dialect's own extra headers (e.g.
     * {@code x-amzn-ErrorType}); these never override the headers {@link BlockResponses} sets.
     */
    @SuppressWarnings("ArrayRecordComponent") // built once per block page, never compared or hashed
    record Body(String contentType, byte[] bytes, List<Map.Entry<String, String>> headers) {

        public Body {
            Objects.requireNonNull(contentType);
            Objects.requireNonNull(bytes);
            headers = List.copyOf(headers);
        }

        public Body(String contentType, byte[] bytes) {
            this(contentType, bytes, List.of());
        }
    }
}
