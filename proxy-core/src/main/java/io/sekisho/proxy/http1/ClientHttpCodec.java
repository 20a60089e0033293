package io.sekisho.proxy.http1;

import io.netty.channel.CombinedChannelDuplexHandler;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseEncoder;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;
import io.sekisho.config.SekishoConfig;
import java.util.ArrayDeque;
import java.util.Queue;

/**
 * The clientToProxy HTTP/1.1 codec: {@link StrictRequestDecoder} and a response encoder that
 * knows which request each response answers, so that a response to HEAD is written without a
 * body (RFC 9110 §9.3.2), as Netty's {@code HttpServerCodec} does with its lenient decoder. An
 * interim (1xx) response answers no request: the final one after it does.
 */
public final class ClientHttpCodec extends CombinedChannelDuplexHandler<HttpRequestDecoder, HttpResponseEncoder> {
    /** Request bodies and responses are streamed in pieces of at most this size. */
    public static final int MAX_CHUNK_BYTES = 64 * 1024;

    public ClientHttpCodec(HttpDecoderConfig config) {
        Queue<HttpMethod> methods = new ArrayDeque<>(2);
        init(new StrictRequestDecoder(config, methods), new Encoder(methods));
    }

    /** The codec with the configured limits (on accept, and behind clientTls). */
    public static ClientHttpCodec forLimits(SekishoConfig.Limits limits) {
        return new ClientHttpCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(limits.maxInitialLineBytes())
                .setMaxHeaderSize(limits.maxHeaderBytes())
                .setMaxChunkSize(MAX_CHUNK_BYTES));
    }

    private static final class Encoder extends HttpResponseEncoder {
        private final Queue<HttpMethod> methods;

        Encoder(Queue<HttpMethod> methods) {
            this.methods = methods;
        }

        @Override
        protected boolean isContentAlwaysEmpty(HttpResponse msg) {
            HttpResponseStatus s = msg.status();
            boolean interim = s.codeClass() == HttpStatusClass.INFORMATIONAL
                    && s.code() != HttpResponseStatus.SWITCHING_PROTOCOLS.code();
            HttpMethod method = interim ? methods.peek() : methods.poll();
            return HttpMethod.HEAD.equals(method) || super.isContentAlwaysEmpty(msg);
        }
    }
}
