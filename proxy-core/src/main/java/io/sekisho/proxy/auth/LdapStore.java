package io.sekisho.proxy.auth;

import com.unboundid.ldap.sdk.Filter;
import com.unboundid.ldap.sdk.LDAPConnection;
import com.unboundid.ldap.sdk.LDAPConnectionOptions;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.LDAPURL;
import com.unboundid.ldap.sdk.ResultCode;
import com.unboundid.ldap.sdk.SearchRequest;
import com.unboundid.ldap.sdk.SearchResult;
import com.unboundid.ldap.sdk.SearchResultEntry;
import com.unboundid.ldap.sdk.SearchScope;
import com.unboundid.util.ssl.SSLUtil;
import io.sekisho.config.ClientAccess.Ldap;
import io.sekisho.config.SekishoConfig.Secret;
import io.sekisho.policy.Identity;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code auth.basic.ldap} with the UnboundID LDAP SDK: search the user (as the service account),
 * simple-bind as the entry found with the password given, then search the groups whose
 * {@code groupFilter} names the user. User names and DNs enter filters only escaped (RFC 4515,
 * {@link Filter#encodeValue}), so a name such as {@code *)(uid=*} matches nobody. An empty
 * password is refused before any bind: an LDAP bind without one is an anonymous bind, which
 * succeeds. One connection per verification, opened and closed on the authentication executor:
 * misses are rare behind the cache, and no pooled connection can go stale when the directory
 * restarts. A directory that cannot be reached or answers with an error is
 * AUTH_BACKEND_UNAVAILABLE, never an allow.
 */
final class LdapStore implements CredentialStore {
    private static final Logger log = LoggerFactory.getLogger(LdapStore.class);
    private final Ldap config;

    LdapStore(Ldap config) {
        this.config = config;
    }

    @Override
    public AuthOutcome check(String user, String password) {
        if (password.isEmpty()) {
            return AuthOutcome.denied(Reason.AUTH_FAILED);
        }
        try (LDAPConnection c = connect()) {
            if (!config.bindDn().isEmpty()) {
                c.bind(config.bindDn(), servicePassword());
            }
            SearchResultEntry entry = findUser(c, user);
            if (entry == null) {
                return AuthOutcome.denied(Reason.AUTH_FAILED);
            }
            try {
                c.bind(entry.getDN(), password);
            } catch (LDAPException e) {
                if (ResultCode.INVALID_CREDENTIALS.equals(e.getResultCode())) {
                    return AuthOutcome.denied(Reason.AUTH_FAILED);
                }
                throw e;
            }
            if (!config.bindDn().isEmpty()) {
                c.bind(config.bindDn(), servicePassword());
            }
            return AuthOutcome.allowed(new Identity(user, groups(c, user, entry.getDN()), "basic"));
        } catch (LDAPException | IOException | GeneralSecurityException e) {
            // The message names the server and the result code, never a password.
            log.warn("auth.basic.ldap: {} unavailable: {}", config.url(), e instanceof LDAPException l
                    ? l.getResultCode() : e.getClass().getSimpleName());
            return AuthOutcome.denied(Reason.AUTH_BACKEND_UNAVAILABLE);
        }
    }

    /**
     * The groups of a user who proved who they are another way (a Kerberos ticket): the user's
     * entry found as the service account, then the group search; no user bind. A user without an
     * entry has no groups. Null when the directory cannot answer: the caller denies.
     */
    @Nullable List<String> groupsOf(String user) {
        try (LDAPConnection c = connect()) {
            if (!config.bindDn().isEmpty()) {
                c.bind(config.bindDn(), servicePassword());
            }
            SearchResultEntry entry = findUser(c, user);
            return entry == null ? List.of() : groups(c, user, entry.getDN());
        } catch (LDAPException | IOException | GeneralSecurityException e) {
            log.warn("auth.basic.ldap: {} unavailable for a Negotiate user's groups: {}", config.url(),
                    e instanceof LDAPException l ? l.getResultCode() : e.getClass().getSimpleName());
            return null;
        }
    }

    private LDAPConnection connect() throws LDAPException, GeneralSecurityException {
        LDAPURL url = new LDAPURL(config.url());
        LDAPConnectionOptions o = new LDAPConnectionOptions();
        int millis = (int) config.timeout().toMillis();
        o.setConnectTimeoutMillis(millis);
        o.setResponseTimeoutMillis(millis);
        o.setUseSynchronousMode(true);
        LDAPConnection c = url.getScheme().equals("ldaps")
                ? new LDAPConnection(new SSLUtil().createSSLSocketFactory(), o)
                : new LDAPConnection(o);
        c.connect(url.getHost(), url.getPort(), millis);
        return c;
    }

    private @Nullable SearchResultEntry findUser(LDAPConnection c, String user) throws LDAPException {
        String filter = config.userFilter().replace("{user}", Filter.encodeValue(user));
        SearchRequest r = new SearchRequest(config.userBase(), SearchScope.SUB, Filter.create(filter), "1.1");
        r.setSizeLimit(2);
        SearchResult result = c.search(r);
        // None, or an ambiguous name: nobody signs in as two entries.
        return result.getEntryCount() == 1 ? result.getSearchEntries().get(0) : null;
    }

    private List<String> groups(LDAPConnection c, String user, String dn) throws LDAPException {
        String filter = config.groupFilter().replace("{dn}", Filter.encodeValue(dn))
                .replace("{user}", Filter.encodeValue(user));
        SearchResult result = c.search(new SearchRequest(config.groupBase(), SearchScope.SUB, Filter.create(filter),
                config.groupAttribute()));
        List<String> out = new ArrayList<>();
        for (SearchResultEntry e : result.getSearchEntries()) {
            String name = e.getAttributeValue(config.groupAttribute());
            if (name != null && !out.contains(name)) {
                out.add(name);
            }
        }
        out.sort(null);
        return out;
    }

    private String servicePassword() throws IOException {
        Secret s = config.password();
        if (s == null) {
            return "";
        }
        if (s.env() != null) {
            String v = System.getenv(s.env());
            if (v == null) {
                throw new IOException("environment variable " + s.env() + " is not set");
            }
            return v;
        }
        return Files.readString(java.util.Objects.requireNonNull(s.file()), StandardCharsets.UTF_8).strip();
    }
}
