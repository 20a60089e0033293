package io.sekisho.proxy.block;

import java.nio.charset.StandardCharsets;

/** The fallback: a short text body naming the reason and the request id. */
public final class PlainTextBlockRenderer implements BlockRenderer {
    public static final PlainTextBlockRenderer INSTANCE = new PlainTextBlockRenderer();

    private PlainTextBlockRenderer() {
    }

    @Override
    public Body render(BlockContext c) {
        String text = BlockReasons.headline(c) + ": " + c.decision().reason().name() + "\n"
                + "Request ID: " + c.requestId() + "\n";
        return new Body("text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }
}
