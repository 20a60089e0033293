package io.sekisho.proxy.forward;

import io.netty.channel.Channel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.sekisho.proxy.pipeline.ClientPipelineInitializer;

/** Completes a proxyToUpstream pipeline for forwarded HTTP exchanges (after upstreamIdle). */
public final class UpstreamHttp {
    public static final String UPSTREAM_CODEC = "upstreamCodec";
    public static final String UPSTREAM_RESPONSE = "upstreamResponse";
    /** Response heads from origins can be larger than what we accept from clients. */
    private static final int MAX_RESPONSE_HEADER_BYTES = 64 * 1024;

    private UpstreamHttp() {
    }

    public static void install(Channel ch) {
        ch.pipeline().addLast(UPSTREAM_CODEC, new HttpClientCodec(new HttpDecoderConfig()
                .setMaxHeaderSize(MAX_RESPONSE_HEADER_BYTES)
                .setMaxChunkSize(ClientPipelineInitializer.MAX_CHUNK_BYTES), false, false));
        ch.pipeline().addLast(UPSTREAM_RESPONSE, new UpstreamResponseHandler());
    }
}
