package io.sekisho.proxy.forward;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;

/** Rewrites request and response heads as they cross the proxy (RFC 9110 §7.6, RFC 9112). */
final class MessageHeads {
    /** RFC 9110 §7.6.3: received-protocol and pseudonym; no version or host leaks. */
    static final String VIA = "1.1 sekisho";

    private MessageHeads() {
    }

    /** True when the request announces a body (RFC 9112 §6.3: a request without either has none). */
    static boolean requestHasBody(HttpRequest req) {
        return HttpUtil.isTransferEncodingChunked(req) || HttpUtil.getContentLength(req, 0L) > 0;
    }

    /**
     * Prepares the head sent upstream: hop-by-hop headers removed, Host set from the target
     * (RFC 9112 §3.2.2: a proxy replaces Host with the absolute-form authority, which is what
     * the policy checked), Via added, chunked framing when the length is unknown.
     */
    static void prepareRequest(HttpRequest req, RequestTarget target, boolean hasBody) {
        HttpHeaders h = req.headers();
        HopByHop.strip(h);
        h.set(HttpHeaderNames.HOST, target.authority());
        h.add(HttpHeaderNames.VIA, VIA);
        if (hasBody && !h.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
        }
        req.setProtocolVersion(HttpVersion.HTTP_1_1);
    }

    /** True when a response to {@code method} with this status carries no body (RFC 9110 §6.4.1). */
    static boolean responseHasNoBody(HttpMethod method, HttpResponse r) {
        int code = r.status().code();
        return method.equals(HttpMethod.HEAD) || code == 204 || code == 304 || (code >= 100 && code < 200);
    }

    /**
     * Prepares the head sent to the client.
     *
     * @return whether the client connection can stay open after this response
     */
    static boolean prepareResponse(HttpResponse r, HttpMethod method, HttpVersion clientVersion, boolean keepAlive) {
        HttpHeaders h = r.headers();
        boolean lengthKnown = h.contains(HttpHeaderNames.CONTENT_LENGTH);
        HopByHop.strip(h);
        h.add(HttpHeaderNames.VIA, VIA);
        if (!responseHasNoBody(method, r) && !lengthKnown) {
            if (clientVersion.equals(HttpVersion.HTTP_1_1)) {
                h.set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            } else {
                // An HTTP/1.0 client knows the end of an unsized body only by the close.
                keepAlive = false;
            }
        }
        if (!keepAlive) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        } else if (clientVersion.equals(HttpVersion.HTTP_1_0)) {
            h.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
        }
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
        return keepAlive;
    }

    /** Prepares an interim (1xx) response for the client. */
    static void prepareInterim(HttpResponse r) {
        HopByHop.strip(r.headers());
        r.setProtocolVersion(HttpVersion.HTTP_1_1);
    }
}
