package io.sekisho.proxy.http1;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.sekisho.policy.Reason;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The client codec refuses every head whose framing or form Netty would repair (issue 18 point
 * 1): one row per variant, each fed whole and byte by byte, each followed by a hidden second
 * request that must never come out of the decoder.
 */
class StrictRequestDecoderTest {
    private static final String HIDDEN = "PUT http://foreign-bucket.test/k HTTP/1.1\r\nHost: foreign-bucket.test\r\n"
            + "Content-Length: 0\r\n\r\n";

    static Stream<Arguments> refused() {
        return Stream.of(
                row("CL and TE in HTTP/1.1", "PUT http://a.test/x HTTP/1.1\r\nHost: a.test\r\nContent-Length: 6\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n0\r\n\r\n", Reason.AMBIGUOUS_FRAMING),
                row("TE and CL in HTTP/1.1", "PUT http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                        + "Transfer-Encoding: chunked\r\nContent-Length: 6\r\n\r\n0\r\n\r\n", Reason.AMBIGUOUS_FRAMING),
                row("CL and TE in HTTP/1.0", "PUT http://a.test/x HTTP/1.0\r\nHost: a.test\r\nContent-Length: 6\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n6\r\nhello\n\r\n0\r\n\r\n", Reason.AMBIGUOUS_FRAMING),
                row("TE in HTTP/1.0", "POST http://a.test/x HTTP/1.0\r\nHost: a.test\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", Reason.AMBIGUOUS_FRAMING),
                row("TE chunked, identity", "POST http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                        + "Transfer-Encoding: chunked, identity\r\n\r\n0\r\n\r\n", Reason.AMBIGUOUS_FRAMING),
                row("TE xchunked with CL", "POST http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                        + "Transfer-Encoding: xchunked\r\nContent-Length: 3\r\n\r\nabc", Reason.AMBIGUOUS_FRAMING),
                row("TE identity", "POST http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                        + "Transfer-Encoding: identity\r\n\r\n", Reason.AMBIGUOUS_FRAMING),
                row("two TE headers", "POST http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                        + "Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
                        Reason.AMBIGUOUS_FRAMING),
                row("Content-Length with a sign", "POST http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                        + "Content-Length: +3\r\n\r\nabc", Reason.BAD_REQUEST),
                row("two Host headers", "GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\nHost: b.test\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("HTTP/2.0", "GET http://a.test/x HTTP/2.0\r\nHost: a.test\r\n\r\n", Reason.BAD_REQUEST),
                row("HTTP/1.2", "GET http://a.test/x HTTP/1.2\r\nHost: a.test\r\n\r\n", Reason.BAD_REQUEST),
                row("lower-case version", "GET http://a.test/x http/1.1\r\nHost: a.test\r\n\r\n", Reason.BAD_REQUEST),
                row("no version", "GET http://a.test/x\r\nHost: a.test\r\n\r\n", Reason.BAD_REQUEST),
                row("tab in the request line", "GET\thttp://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("two spaces in the request line", "GET  http://a.test/x HTTP/1.1\r\nHost: a.test\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("NUL in the request target", "GET http://a.test/x\0 HTTP/1.1\r\nHost: a.test\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("bare CR in the request line", "GET http://a.test/x\r HTTP/1.1\r\nHost: a.test\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("bare CR in a header line", "GET http://a.test/x HTTP/1.1\r\nHost: a.test\rX: y\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("NUL in a header value", "GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\nX: a\0b\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("obs-fold with a space", "GET http://a.test/x HTTP/1.1\r\nHost: a.test\r\nX: a\r\n b\r\n\r\n",
                        Reason.BAD_REQUEST),
                row("obs-fold of Transfer-Encoding", "POST http://a.test/x HTTP/1.1\r\nHost: a.test\r\n"
                        + "Transfer-Encoding:\r\n\tchunked\r\n\r\n0\r\n\r\n", Reason.BAD_REQUEST),
                row("bare LF line ends", "GET http://a.test/x HTTP/1.1\nHost: a.test\n\n", Reason.BAD_REQUEST),
                row("chunk size wrapping to 0 in 32 bits", chunked("100000000\r\n"), Reason.BAD_REQUEST),
                row("chunk size over 2^31", chunked("80000000\r\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("chunk size in 0x form", chunked("0x2\r\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("chunk size with a sign", chunked("+2\r\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("chunk size with junk", chunked("2 x\r\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("chunk size line ended by bare LF", chunked("2\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("chunk data longer than its size", chunked("2\r\nabc\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("NUL in a chunk extension", chunked("2;a=\0\r\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                // Netty 4.2.21's chunk-line parser (netty/netty#16537, the "Funky Chunks" smuggling
                // research) refuses whitespace after an extension's value and at the end of the line.
                row("whitespace after a chunk extension", chunked("2;a=b ;c\r\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("whitespace ending a chunk-size line", chunked("2 \r\nab\r\n0\r\n\r\n"), Reason.BAD_REQUEST),
                row("obs-fold in the trailers", chunked("0\r\nX-T: a\r\n b\r\n\r\n"), Reason.BAD_REQUEST),
                row("CONNECT with CL and TE", "CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\nContent-Length: 5\r\n"
                        + "Transfer-Encoding: chunked\r\n\r\n", Reason.AMBIGUOUS_FRAMING),
                row("CONNECT with a tab", "CONNECT\ta.test:443 HTTP/1.1\r\nHost: a.test:443\r\n\r\n",
                        Reason.BAD_REQUEST));
    }

    private static String chunked(String body) {
        return "POST http://a.test/x HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n" + body;
    }

    private static Arguments row(String name, String request, Reason reason) {
        return Arguments.of(name, request, reason);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void isRefusedAndNothingAfterItIsDecoded(String name, String request, Reason reason) {
        for (boolean byteByByte : new boolean[] {false, true}) {
            List<Object> out = decode(request + HIDDEN, byteByByte);
            try {
                HttpObject first = out.stream().map(HttpObject.class::cast).filter(o -> o.decoderResult().isFailure())
                        .findFirst().orElseThrow(() -> new AssertionError(name + ": nothing refused, got " + out));
                // As the router reads it: a refusal carries its reason, any other decoder failure
                // (Netty's own checks, which may come first when bytes arrive one by one) is BAD_REQUEST.
                Throwable cause = first.decoderResult().cause();
                Reason actual = cause instanceof StrictRequestDecoder.Refusal r ? r.reason() : Reason.BAD_REQUEST;
                assertThat(actual).as("%s (byte by byte: %s): %s", name, byteByByte, cause).isEqualTo(reason);
                assertThat(out.subList(out.indexOf(first) + 1, out.size())).as("decoded after the refusal").isEmpty();
                assertThat(out.stream().filter(o -> o instanceof HttpRequest)).as("the hidden request").hasSize(1);
            } finally {
                out.forEach(ReferenceCountUtil::release);
            }
        }
    }

    static Stream<Arguments> accepted() {
        return Stream.of(
                Arguments.of("GET, then a chunked POST, then a sized PUT, pipelined",
                        "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n"
                                + "POST http://a.test/p HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "3;ext=1\r\nabc\r\n0\r\nX-Trailer: t\r\n\r\n"
                                + "PUT http://a.test/u HTTP/1.1\r\nHost: a.test\r\nContent-Length: 5\r\n\r\nhello", 3, 8),
                Arguments.of("empty lines before the request line",
                        "\r\n\r\nGET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n", 1, 0),
                Arguments.of("empty lines between pipelined requests",
                        "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n\r\n"
                                + "GET http://a.test/2 HTTP/1.1\r\nHost: a.test\r\n\r\n", 2, 0),
                Arguments.of("HTTP/1.0 with a length and an upper-case TE-less body",
                        "POST http://a.test/ HTTP/1.0\r\nHost: a.test\r\nContent-Length: 2\r\n\r\nok", 1, 2),
                Arguments.of("Transfer-Encoding in another letter case",
                        "POST http://a.test/ HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: Chunked\r\n\r\n"
                                + "2\r\nok\r\n0\r\n\r\n", 1, 2),
                Arguments.of("a body that looks like a folded header line",
                        "POST http://a.test/ HTTP/1.1\r\nHost: a.test\r\nContent-Length: 12\r\n\r\nx\r\n y\tz\0\r\n\r\n"
                                + "GET http://a.test/2 HTTP/1.1\r\nHost: a.test\r\n\r\n", 2, 12),
                Arguments.of("obs-text and tabs inside a header value",
                        "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\nX-V: a\tb\u00e9\r\n\r\n", 1, 0),
                Arguments.of("chunks with extensions, leading zeros, upper-case hex and a trailer",
                        "POST http://a.test/ HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "0005;a=b;c=\"d\"\r\nhello\r\nA \t;x\r\n0123456789\r\n0\r\nX-T: v\r\n\r\n"
                                + "GET http://a.test/2 HTTP/1.1\r\nHost: a.test\r\n\r\n", 2, 15),
                Arguments.of("a chunk larger than the decoder's piece size",
                        "POST http://a.test/ HTTP/1.1\r\nHost: a.test\r\nTransfer-Encoding: chunked\r\n\r\n"
                                + "1f4\r\n" + "z".repeat(500) + "\r\n0\r\n\r\n", 1, 500),
                Arguments.of("CONNECT with Content-Length: 0",
                        "CONNECT a.test:443 HTTP/1.1\r\nHost: a.test:443\r\nContent-Length: 0\r\n\r\n", 1, 0));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("accepted")
    void isDecodedAsTheRequestsItHolds(String name, String requests, int count, int bodyBytes) {
        for (boolean byteByByte : new boolean[] {false, true}) {
            List<Object> out = decode(requests, byteByByte);
            try {
                int heads = 0;
                int lasts = 0;
                int body = 0;
                for (Object o : out) {
                    if (o instanceof HttpRequest r) {
                        assertThat(r.decoderResult().isSuccess()).as("%s: %s", name, r.decoderResult()).isTrue();
                        heads++;
                    }
                    if (o instanceof HttpContent c) {
                        body += c.content().readableBytes();
                    }
                    if (o instanceof LastHttpContent) {
                        lasts++;
                    }
                }
                assertThat(heads).as("%s (byte by byte: %s)", name, byteByByte).isEqualTo(count);
                assertThat(lasts).isEqualTo(count);
                assertThat(body).isEqualTo(bodyBytes);
            } finally {
                out.forEach(ReferenceCountUtil::release);
            }
        }
    }

    @Test
    void aResponseToHeadIsWrittenWithoutItsBodyAndAnInterimResponseAnswersNoRequest() {
        EmbeddedChannel ch = new EmbeddedChannel(new ClientHttpCodec(new HttpDecoderConfig()));
        ch.writeInbound(Unpooled.copiedBuffer("HEAD http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n"
                + "GET http://a.test/ HTTP/1.1\r\nHost: a.test\r\n\r\n", StandardCharsets.ISO_8859_1));
        drainInbound(ch);
        DefaultFullHttpResponse interim = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE);
        DefaultFullHttpResponse head = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        DefaultFullHttpResponse get = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                Unpooled.copiedBuffer("hi", StandardCharsets.US_ASCII));
        get.headers().set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        ch.writeOutbound(interim, head, get);
        String written = readOutbound(ch);
        assertThat(written).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n"
                + "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nhi\r\n0\r\n\r\n");
        ch.finishAndReleaseAll();
    }

    private static List<Object> decode(String bytes, boolean byteByByte) {
        EmbeddedChannel ch = new EmbeddedChannel(new ClientHttpCodec(new HttpDecoderConfig()));
        byte[] b = bytes.getBytes(StandardCharsets.ISO_8859_1);
        if (byteByByte) {
            for (byte x : b) {
                ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {x}));
            }
        } else {
            ch.writeInbound(Unpooled.wrappedBuffer(b));
        }
        List<Object> out = drainInbound(ch);
        ch.finishAndReleaseAll();
        return out;
    }

    private static List<Object> drainInbound(EmbeddedChannel ch) {
        List<Object> out = new ArrayList<>();
        Object o;
        while ((o = ch.readInbound()) != null) {
            out.add(o);
        }
        return out;
    }

    private static String readOutbound(EmbeddedChannel ch) {
        StringBuilder s = new StringBuilder();
        Object o;
        while ((o = ch.readOutbound()) != null) {
            ByteBuf b = (ByteBuf) o;
            s.append(b.toString(StandardCharsets.ISO_8859_1));
            b.release();
        }
        return s.toString();
    }
}
