package io.sekisho.proxy.auth;

import io.sekisho.config.ClientAccess.Negotiate;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.nio.file.Files;
import java.security.PrivilegedActionException;
import java.security.PrivilegedExceptionAction;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.security.auth.Subject;
import javax.security.auth.kerberos.KerberosPrincipal;
import javax.security.auth.kerberos.KeyTab;
import org.ietf.jgss.GSSContext;
import org.ietf.jgss.GSSCredential;
import org.ietf.jgss.GSSException;
import org.ietf.jgss.GSSManager;
import org.ietf.jgss.GSSName;
import org.ietf.jgss.Oid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth.negotiate}: accepts a SPNEGO (RFC 4178) or raw Kerberos token with the keys of the
 * proxy's keytab, through the JDK's GSS-API. No KDC is asked: the ticket is decrypted with the
 * service key and its authenticator checked against the proxy's clock (krb5.conf
 * {@code clockskew}, 5 minutes by default) and the JDK's replay cache. The keytab is read on
 * every acceptance, so a rotated keytab needs no reload. Called only on the authentication
 * executor. Never throws; never logs a token.
 *
 * <p>The user is the client principal; its realm is dropped when it is the service principal's
 * own realm ({@code alice@CORP.EXAMPLE} is {@code alice}), kept for any other realm (a trusted
 * realm's {@code alice} is {@code alice@PARTNER.EXAMPLE}, not the same person). A Kerberos
 * ticket names no groups the JDK can read (an AD ticket's PAC holds SIDs): the groups are empty.
 */
final class NegotiateAcceptor {
    private static final Logger log = LoggerFactory.getLogger(NegotiateAcceptor.class);
    private static final Oid SPNEGO = oid("1.3.6.1.5.5.2");
    private static final Oid KRB5 = oid("1.2.840.113554.1.2.2");
    private static final Oid KRB5_PRINCIPAL = oid("1.2.840.113554.1.2.2.1");
    /** The Kerberos error code the JDK appends to its messages, "Clock skew too great (37)". */
    private static final Pattern KRB_CODE = Pattern.compile("\\((\\d{2,3})\\)");
    /** KRB_AP_ERR_SKEW, KRB_AP_ERR_TKT_NYV (RFC 4120 §7.5.9): the clocks disagree. */
    private static final List<Integer> CLOCK = List.of(37, 33);
    /** KRB_AP_ERR_NOT_US, KRB_AP_ERR_BADKEYVER, KRB_AP_ERR_NOKEY, and the JDK's "cannot find key" (400). */
    private static final List<Integer> NO_KEY = List.of(35, 44, 45, 400);

    private final Negotiate config;
    private final Subject subject;
    private final GSSManager manager = GSSManager.getInstance();

    NegotiateAcceptor(Negotiate config) {
        this.config = config;
        this.subject = new Subject();
        if (config.principal().isEmpty()) {
            // Any service principal whose keys the keytab holds (Squid's GSS_C_NO_NAME).
            subject.getPrivateCredentials().add(KeyTab.getUnboundInstance(config.keytab().toFile()));
        } else {
            KerberosPrincipal service = new KerberosPrincipal(config.principal());
            subject.getPrincipals().add(service);
            subject.getPrivateCredentials().add(KeyTab.getInstance(service, config.keytab().toFile()));
        }
    }

    AuthOutcome accept(byte[] token) {
        if (!Files.isReadable(config.keytab())) {
            log.warn("auth.negotiate: keytab {} cannot be read", config.keytab());
            return AuthOutcome.denied(Reason.AUTH_KERBEROS_KEY_UNAVAILABLE);
        }
        try {
            return Subject.doAs(subject, (PrivilegedExceptionAction<AuthOutcome>) () -> acceptAsService(token));
        } catch (PrivilegedActionException e) {
            return refusal(e.getException());
        } catch (RuntimeException e) {
            // A token the JDK's decoders choke on: the client's fault, never an allow.
            log.debug("auth.negotiate: unreadable token: {}", e.getClass().getSimpleName());
            return AuthOutcome.denied(Reason.AUTH_MALFORMED);
        }
    }

    private AuthOutcome acceptAsService(byte[] token) throws GSSException {
        GSSName service = config.principal().isEmpty() ? null : manager.createName(config.principal(), KRB5_PRINCIPAL);
        GSSCredential credential = manager.createCredential(service, GSSCredential.INDEFINITE_LIFETIME,
                new Oid[] {SPNEGO, KRB5}, GSSCredential.ACCEPT_ONLY);
        GSSContext context = manager.createContext(credential);
        try {
            context.acceptSecContext(token, 0, token.length);
            if (!context.isEstablished()) {
                // SPNEGO asking for a second leg: the client proposed a mechanism other than Kerberos
                // first (NTLM). One leg only: each refusal closes the connection.
                return AuthOutcome.denied(Reason.AUTH_FAILED);
            }
            return AuthOutcome.allowed(new Identity(user(context.getSrcName().toString(),
                    context.getTargName().toString()), List.of(), "negotiate"));
        } finally {
            context.dispose();
            credential.dispose();
        }
    }

    /** The client principal, without its realm when that is the service's realm. */
    static String user(String client, String service) {
        int at = client.lastIndexOf('@');
        int serviceAt = service.lastIndexOf('@');
        if (at > 0 && serviceAt > 0 && client.substring(at).equals(service.substring(serviceAt))) {
            return client.substring(0, at);
        }
        return client;
    }

    private AuthOutcome refusal(Exception e) {
        Integer code = kerberosCode(e);
        int major = e instanceof GSSException g ? g.getMajor() : GSSException.FAILURE;
        String what = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        if (major == GSSException.NO_CRED || (code != null && NO_KEY.contains(code)) || noKeyFits(e)) {
            log.warn("auth.negotiate: no key in {} opens this ticket (another SPN, an old key version?): {}",
                    config.keytab(), what);
            return AuthOutcome.denied(Reason.AUTH_KERBEROS_KEY_UNAVAILABLE);
        }
        if (code != null && CLOCK.contains(code)) {
            log.info("auth.negotiate: clock skew: {}", what);
            return AuthOutcome.denied(Reason.AUTH_KERBEROS_CLOCK_SKEW);
        }
        if (major == GSSException.DEFECTIVE_TOKEN || major == GSSException.BAD_MECH) {
            return AuthOutcome.denied(Reason.AUTH_MALFORMED);
        }
        log.info("auth.negotiate: ticket refused: {}", what);
        return AuthOutcome.denied(Reason.AUTH_FAILED);
    }

    /** The Kerberos error code in the exception's causes (the JDK's KrbException is not public API). */
    private static @Nullable Integer kerberosCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getClass().getName().startsWith("sun.security.krb5")) {
                Matcher m = KRB_CODE.matcher(t.getMessage());
                if (m.find()) {
                    return Integer.parseInt(m.group(1));
                }
            }
        }
        return null;
    }

    /**
     * A ticket whose decryption fails its checksum was sealed with a key the keytab does not hold
     * for that name: with no principal configured the JDK tries the keytab's keys of the same type.
     */
    private static boolean noKeyFits(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getName().equals("sun.security.krb5.KrbCryptoException")) {
                return true;
            }
        }
        return e.getMessage() != null && e.getMessage().contains("Checksum failed");
    }

    private static Oid oid(String dotted) {
        try {
            return new Oid(dotted);
        } catch (GSSException e) {
            throw new IllegalStateException(dotted, e);
        }
    }
}
