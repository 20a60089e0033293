package io.sekisho.proxy.block;

/**
 * Renders the body of a block response in one dialect. {@link BlockResponses} asks its
 * renderers in order and uses the first answer; the plain-text renderer, last, always answers.
 * Seams for later issues: an AWS error renderer (REST-XML, JSON, query XML, chosen by
 * {@link BlockContext#protocol()}) and an HTML block page (chosen by an Accept of text/html
 * when the protocol is NONE).
 */
@FunctionalInterface
public interface BlockRenderer {

    /** The body for this block, or null when this renderer does not apply. */
    Body render(BlockContext context);

    /** A rendered body: its media type and bytes. */
    record Body(String contentType, byte[] bytes) {
    }
}
