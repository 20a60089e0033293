package io.sekisho.proxy.h2;

import io.netty.handler.codec.http2.Http2FrameCodec;
import io.netty.handler.codec.http2.Http2FrameCodecBuilder;
import io.netty.handler.codec.http2.Http2Settings;
import io.sekisho.config.SekishoConfig;
import java.time.Duration;

/**
 * The limits an HTTP/2 client connection is held to, and the one place that builds its frame
 * codec. Fixed rather than configurable: each answers a published attack, and docs/threat-model.md
 * says which. Netty enforces the first five; {@link ControlFrameFloodGuard} the last two.
 */
public final class Http2Limits {
    /**
     * SETTINGS_MAX_CONCURRENT_STREAMS (RFC 9113 §6.5.2): each open stream may hold an upstream
     * connection from the pool. A stream beyond it is refused with RST_STREAM REFUSED_STREAM.
     */
    public static final int MAX_CONCURRENT_STREAMS = 100;
    /**
     * Rapid reset (CVE-2023-44487): RST_STREAM frames a client may send within
     * {@link #RST_WINDOW_SECONDS}; one more ends the connection with GOAWAY ENHANCE_YOUR_CALM.
     */
    public static final int MAX_RST_PER_WINDOW = 100;
    public static final int RST_WINDOW_SECONDS = 10;
    /** DATA frames without payload or END_STREAM in a row (CVE-2019-9518): GOAWAY beyond. */
    public static final int MAX_CONSECUTIVE_EMPTY_DATA = 2;
    /**
     * Control-frame answers (PING and SETTINGS ACKs, RST_STREAM) queued because the client does
     * not read (CVE-2019-9512, -9515): the connection closes beyond.
     */
    public static final int MAX_QUEUED_CONTROL_FRAMES = 1000;
    /** PING plus SETTINGS frames a client may send within {@link #CONTROL_WINDOW_MILLIS}: GOAWAY beyond. */
    public static final int MAX_CONTROL_FRAMES_PER_WINDOW = 200;
    public static final long CONTROL_WINDOW_MILLIS = 10_000;

    private Http2Limits() {
    }

    /**
     * Our SETTINGS: the stream limit above; SETTINGS_MAX_HEADER_LIST_SIZE is
     * {@code limits.maxHeaderBytes}, the head limit of HTTP/1.1. HPACK and CONTINUATION frames
     * are counted against it while they arrive (CONTINUATION flood, CVE-2024-27316 and Netty's
     * GHSA-5jpm-x58v-624v), so a header block that never ends cannot grow without limit.
     */
    public static Http2Settings settings(SekishoConfig.Limits limits) {
        return Http2Settings.defaultSettings()
                .maxConcurrentStreams(MAX_CONCURRENT_STREAMS)
                .maxHeaderListSize(limits.maxHeaderBytes());
    }

    /**
     * The server-side frame codec of one client connection, with Netty's flood limits set. Its
     * close is graceful (GOAWAY, then the open streams end): {@code drain}, which is
     * {@code timeouts.shutdownDrain}, bounds how long it waits for them, as shutdown does
     * ({@link GoAwayOnDrain}).
     */
    public static Http2FrameCodec clientCodec(SekishoConfig.Limits limits, Duration drain) {
        return Http2FrameCodecBuilder.forServer()
                .initialSettings(settings(limits))
                .gracefulShutdownTimeoutMillis(drain.toMillis())
                .validateHeaders(true)
                .decoderEnforceMaxRstFramesPerWindow(MAX_RST_PER_WINDOW, RST_WINDOW_SECONDS)
                .decoderEnforceMaxConsecutiveEmptyDataFrames(MAX_CONSECUTIVE_EMPTY_DATA)
                .encoderEnforceMaxQueuedControlFrames(MAX_QUEUED_CONTROL_FRAMES)
                .build();
    }
}
