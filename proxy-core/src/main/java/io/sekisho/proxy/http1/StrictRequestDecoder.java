package io.sekisho.proxy.http1;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultLastHttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpRequestDecoder;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.sekisho.policy.Reason;
import java.util.Iterator;
import java.util.List;
import java.util.Queue;

/**
 * Netty's request decoder with nothing left to interpretation (issue 18 point 1). Netty repairs
 * some heads it could refuse: it keeps Content-Length beside Transfer-Encoding in HTTP/1.0,
 * accepts any transfer coding, several Transfer-Encoding or Host headers, any HTTP version,
 * tabs between the request line's words, and folds obs-fold lines. A proxy that repairs a head
 * its upstream may read another way lets a second request hide inside the first (request
 * smuggling). So every such head becomes a failed request here (400 and close, by the router),
 * and the decoder reads nothing after it.
 *
 * <p>Only the framing RFC 9112 §6 defines is accepted: no body, one Content-Length of digits
 * (Netty refuses any other), or {@code Transfer-Encoding: chunked} alone, in HTTP/1.1, without
 * Content-Length.
 */
public final class StrictRequestDecoder extends HttpRequestDecoder {
    private final RequestHeadScanner framing = new RequestHeadScanner();
    /** The method of each request emitted, for the encoder (see {@link ClientHttpCodec}). */
    private final Queue<HttpMethod> methods;
    /** A head was refused: everything after it is dropped, as Netty does after a bad message. */
    private boolean refused;

    StrictRequestDecoder(HttpDecoderConfig config, Queue<HttpMethod> methods) {
        super(config);
        this.methods = methods;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        if (refused) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (!framing.waiting()) {
            String problem = framing.scan(in);
            if (problem != null) {
                refuse(in, out, new Refusal(Reason.BAD_REQUEST, problem));
                return;
            }
        }
        int before = in.readerIndex();
        int from = out.size();
        super.decode(ctx, in, out);
        framing.consumed(in.readerIndex() - before);
        for (int i = from; i < out.size() && !refused; i++) {
            Object o = out.get(i);
            if (o instanceof HttpObject h && h.decoderResult().isFailure()) {
                refused = true;
            }
            if (o instanceof HttpRequest r) {
                methods.add(r.method());
                if (!refused && HttpUtil.isTransferEncodingChunked(r)) {
                    framing.chunkedBody();
                }
            }
            if (o instanceof LastHttpContent) {
                framing.reset();
            }
        }
    }

    /** Ends the input: a bad head becomes a failed request, bad chunk framing a failed last content. */
    private void refuse(ByteBuf in, List<Object> out, Refusal why) {
        refused = true;
        in.skipBytes(in.readableBytes());
        if (framing.inBody()) {
            DefaultLastHttpContent bad = new DefaultLastHttpContent();
            bad.setDecoderResult(DecoderResult.failure(why));
            out.add(bad);
            return;
        }
        DefaultFullHttpRequest bad = new DefaultFullHttpRequest(HttpVersion.HTTP_1_0, HttpMethod.GET, "/bad-request");
        bad.setDecoderResult(DecoderResult.failure(why));
        methods.add(bad.method());
        out.add(bad);
    }

    /**
     * Called by Netty once a head's fields are read, before it chooses the framing; a throw here
     * makes Netty emit the head as failed and stop decoding.
     */
    @Override
    protected boolean isContentAlwaysEmpty(HttpMessage msg) {
        HttpHeaders h = msg.headers();
        if (h.contains(HttpHeaderNames.TRANSFER_ENCODING)) {
            checkTransferEncoding(msg, h);
        }
        if (several(h, HttpHeaderNames.HOST)) {
            throw new Refusal(Reason.BAD_REQUEST, "several Host headers");
        }
        return super.isContentAlwaysEmpty(msg);
    }

    /** More than one field of this name, without the list {@code getAll} builds for every request. */
    private static boolean several(HttpHeaders h, CharSequence name) {
        Iterator<? extends CharSequence> values = h.valueCharSequenceIterator(name);
        if (!values.hasNext()) {
            return false;
        }
        values.next();
        return values.hasNext();
    }

    private static void checkTransferEncoding(HttpMessage msg, HttpHeaders h) {
        List<String> te = h.getAll(HttpHeaderNames.TRANSFER_ENCODING);
        if (te.size() > 1) {
            throw new Refusal(Reason.AMBIGUOUS_FRAMING, "several Transfer-Encoding headers");
        }
        if (!msg.protocolVersion().equals(HttpVersion.HTTP_1_1)) {
            throw new Refusal(Reason.AMBIGUOUS_FRAMING, "Transfer-Encoding in HTTP/1.0");
        }
        if (!te.get(0).equalsIgnoreCase("chunked")) {
            throw new Refusal(Reason.AMBIGUOUS_FRAMING, "Transfer-Encoding other than chunked");
        }
        if (h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            throw new Refusal(Reason.AMBIGUOUS_FRAMING, "Content-Length with Transfer-Encoding");
        }
    }

    /** Netty would drop Content-Length here; {@link #isContentAlwaysEmpty} refused the head before. */
    @Override
    protected void handleTransferEncodingChunkedWithContentLength(HttpMessage message) {
        throw new Refusal(Reason.AMBIGUOUS_FRAMING, "Content-Length with Transfer-Encoding");
    }

    /** Why a head was refused: the reason and a fixed phrase for the audit line's rule. */
    public static final class Refusal extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        private final transient Reason reason;
        private final String problem;

        Refusal(Reason reason, String problem) {
            super(problem);
            this.reason = reason;
            this.problem = problem;
        }

        /** What is wrong, as a fixed phrase (never the client's bytes). */
        public String problem() {
            return problem;
        }

        /** A refusal is an answer, not a bug: no stack trace to fill per bad request. */
        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }

        public Reason reason() {
            return reason;
        }
    }
}
