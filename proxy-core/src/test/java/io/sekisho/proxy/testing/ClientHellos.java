package io.sekisho.proxy.testing;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Real TLS ClientHello bytes from the JDK's TLS client, with or without an SNI name. */
public final class ClientHellos {
    private ClientHellos() {
    }

    /** The first flight of a TLS client naming {@code sni} (null: no SNI extension). */
    public static byte[] withSni(String sni) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, null, null);
            SSLEngine e = ctx.createSSLEngine();
            e.setUseClientMode(true);
            SSLParameters p = e.getSSLParameters();
            p.setServerNames(sni == null ? List.of() : List.of(new SNIHostName(sni)));
            e.setSSLParameters(p);
            ByteBuffer out = ByteBuffer.allocate(e.getSession().getPacketBufferSize());
            e.wrap(ByteBuffer.allocate(0), out);
            out.flip();
            byte[] b = new byte[out.remaining()];
            out.get(b);
            return b;
        } catch (GeneralSecurityException | javax.net.ssl.SSLException ex) {
            throw new IllegalStateException(ex);
        }
    }
}
