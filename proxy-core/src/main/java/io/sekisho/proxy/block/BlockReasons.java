package io.sekisho.proxy.block;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Reason;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One human sentence per reason code, shared by the HTML page and the AWS error messages so a
 * user reads the same explanation in the browser and in {@code aws} output. Sentences carry no
 * final period: the AWS message continues with the code in brackets.
 */
public final class BlockReasons {
    static final String FALLBACK = "The request is not allowed by this proxy's policy";

    private static final Map<Reason, String> SENTENCES = new EnumMap<>(Reason.class);

    static {
        put(Reason.DOMAIN_NOT_ALLOWED, "This site is not on the proxy's list of allowed sites");
        put(Reason.DOMAIN_DENIED, "This site is blocked by the proxy's policy");
        put(Reason.IP_LITERAL_NOT_ALLOWED, "Sites must be reached by name, not by IP address");
        put(Reason.PORT_NOT_ALLOWED, "Connections to this port are not allowed");
        put(Reason.PRIVATE_ADDRESS, "This name points to a private or internal network address");
        put(Reason.DNS_FAILED, "The proxy could not resolve this host name");
        put(Reason.BAD_REQUEST, "The proxy could not understand the request");
        put(Reason.AMBIGUOUS_FRAMING, "The request's length is stated in conflicting ways, so the proxy refused it");
        put(Reason.NOT_A_PROXY_REQUEST, "This is a proxy: send requests for other sites, not for the proxy itself");
        put(Reason.HEADERS_TOO_LARGE, "The request headers are too large");
        put(Reason.REQUEST_LINE_TOO_LONG, "The request address is too long");
        put(Reason.REQUEST_HEADER_TIMEOUT, "The request headers did not arrive in time");
        put(Reason.CONNECTION_LIMIT, "The proxy has too many open connections from this computer or in total");
        put(Reason.PENDING_HEADS_LIMIT, "The proxy is holding too many unfinished requests; try again shortly");
        put(Reason.REQUEST_BODY_TIMEOUT, "The request body did not arrive in time");
        put(Reason.REQUEST_BODY_TOO_SLOW, "The request body arrived too slowly");
        put(Reason.METHOD_NOT_ALLOWED, "This request method is not allowed through the proxy");
        put(Reason.CLIENT_NOT_ALLOWED, "This computer's network may not use the proxy");
        put(Reason.AUTH_REQUIRED, "The proxy needs your user name and password");
        put(Reason.AUTH_MALFORMED, "The proxy could not read the credentials the client sent");
        put(Reason.AUTH_SCHEME_UNSUPPORTED, "The client offered a way of signing in that the proxy does not accept");
        put(Reason.AUTH_FAILED, "The proxy did not accept this user name and password");
        put(Reason.AUTH_THROTTLED, "Too many failed sign-ins to the proxy; wait a minute and try again");
        put(Reason.AUTH_BACKEND_UNAVAILABLE, "The proxy cannot check credentials right now; try again shortly");
        put(Reason.AUTH_KERBEROS_KEY_UNAVAILABLE, "The proxy cannot check Kerberos tickets right now (its keytab)");
        put(Reason.AUTH_KERBEROS_CLOCK_SKEW,
                "Your computer's clock differs too much from the proxy's or the domain's; Kerberos sign-in failed");
        put(Reason.UPSTREAM_CONNECT_FAILED, "The proxy could not connect to the site");
        put(Reason.UPSTREAM_TIMEOUT, "The site did not answer in time");
        put(Reason.UPSTREAM_CERT_INVALID, "The site's TLS certificate is not valid");
        put(Reason.UPSTREAM_TLS_FAILED, "A secure connection to the site could not be established");
        put(Reason.UPSTREAM_PROTOCOL_ERROR, "The site sent a response the proxy could not read");
        put(Reason.SNI_MISMATCH, "The TLS server name does not match the requested host");
        put(Reason.HOST_MISMATCH, "The request names a different host than its connection");
        put(Reason.NOT_TLS, "The connection was expected to use TLS");
        put(Reason.CLIENT_TLS_FAILED, "The secure connection between the client and the proxy failed");
        put(Reason.AWS_CUSTOMER_ENDPOINT,
                "This host is an endpoint run by an AWS customer, not by AWS, and is not on the allowed list");
        put(Reason.AWS_CREDENTIAL_CONFLICT, "The request carries two different AWS access keys");
        put(Reason.AWS_CREDENTIAL_MALFORMED, "The request's AWS credential is malformed");
        put(Reason.AWS_KEY_UNRESOLVABLE, "The AWS account of the request's access key could not be determined");
        put(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED,
                "The AWS account that signed the request is not an allowed account");
        put(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED,
                "The request acts on an AWS account that is not an allowed account");
        put(Reason.AWS_ANONYMOUS_WRITE, "Unsigned (anonymous) writes to AWS are not allowed");
        put(Reason.AWS_ANONYMOUS_READ_NOT_ALLOWED,
                "Unsigned (anonymous) reads are allowed only from listed S3 buckets");
        put(Reason.AWS_BUCKET_NOT_ALLOWED, "This S3 bucket is not on the list of allowed buckets");
        put(Reason.AWS_SESSION_NAME_MISMATCH, "An AssumeRole through this proxy must use your proxy user name"
                + " as its role session name");
        put(Reason.AWS_SESSION_NAME_AMBIGUOUS, "This AssumeRole names its role session more than once, or"
                + " unreadably");
        put(Reason.AWS_SESSION_NAME_NO_USER, "An AssumeRole through this proxy needs you to sign in to the proxy"
                + " first");
        put(Reason.AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED,
                "This S3 access point alias hides its owner and is not on the list of allowed access points");
        put(Reason.AWS_MRAP_ALIAS_NOT_ALLOWED,
                "This S3 Multi-Region Access Point hides its owner and is not on the list of allowed ones");
        put(Reason.AWS_CUSTOMER_ENDPOINT_WRITE,
                "This host is run by an AWS customer and may only be read; sending data to it is not allowed");
        put(Reason.AWS_UNKNOWN_HOST_UNREADABLE,
                "This AWS host is not known to the proxy and the request names no account it can check");
        put(Reason.AWS_MFA_REQUIRED, "Assuming this AWS role requires multi-factor authentication");
        put(Reason.AWS_SESSION_DOCUMENT_NOT_ALLOWED, "This kind of Session Manager session is not allowed");
        put(Reason.AWS_SESSION_TARGET_NOT_ALLOWED, "A Session Manager session to this target is not allowed");
        put(Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED, "Port forwarding to this remote host is not allowed");
        put(Reason.BODY_TOO_LARGE_TO_INSPECT, "The request body is too large for the proxy to inspect");
        put(Reason.BODY_MALFORMED, "The request body could not be read, so it cannot be checked");
        put(Reason.BODY_ENCODING_UNSUPPORTED,
                "The request body uses a content encoding the proxy cannot decode, so it cannot be checked");
        put(Reason.BODY_DECODE_FAILED, "The compressed request body is corrupt or incomplete, so it cannot be checked");
        put(Reason.BODY_ENCODING_BOMB, "The compressed request body expands far beyond its size and was refused");
        put(Reason.BODY_AWS_CHUNKED_MALFORMED,
                "The request body's aws-chunked framing is malformed, so it cannot be checked");
        put(Reason.BODY_TRAILER_CREDENTIAL,
                "The request sends a credential in a trailer after its body, which is not allowed");
        put(Reason.BODY_TRAILER_NOT_ALLOWED, "The request ends with a trailer that is not allowed");
        put(Reason.AWS_PORTAL_NOT_ALLOWED, "This IAM Identity Center portal belongs to another organisation");
        put(Reason.AWS_SIGNIN_TOKEN_UNKNOWN,
                "This sign-in link was not issued through this proxy for an allowed account");
        put(Reason.PROVENANCE_STORE_UNAVAILABLE,
                "The proxy could not check where this sign-in link came from; try again in a moment");
        put(Reason.SSM_SESSION_UNKNOWN,
                "This Session Manager connection was not started through this proxy for an allowed account");
        put(Reason.AWS_SAML_MALFORMED, "The SAML sign-in response could not be read, so it cannot be checked");
        put(Reason.AWS_SIGNIN_ACCOUNT_UNKNOWN, "This sign-in page is for an AWS account or alias that is not allowed");
        put(Reason.AWS_ROOT_SIGNIN, "Signing in as the root user of an AWS account is not allowed");
        put(Reason.AWS_CONSOLE_SESSION_FOREIGN, "This console session belongs to an AWS account that is not allowed");
        put(Reason.AUDIT_UNAVAILABLE, "The proxy cannot write its audit log right now and serves nothing"
                + " it cannot record; try again in a moment");
        put(Reason.INTERNAL_ERROR, "The proxy hit an internal error and refused the request to stay safe");
    }

    private BlockReasons() {
    }

    private static void put(Reason r, String sentence) {
        SENTENCES.put(r, sentence);
    }

    /** The reason's sentence, or a generic one for a code added after this table. */
    public static String sentence(Reason r) {
        return SENTENCES.getOrDefault(r, FALLBACK);
    }

    /** True when {@link #sentence} has a sentence written for this reason. */
    static boolean hasSentence(Reason r) {
        return SENTENCES.containsKey(r);
    }

    /**
     * The sentence with the accounts woven in, e.g. "AWS account 999988887777 is not an allowed
     * account". For a reason that is not about one account, the accounts follow in brackets.
     */
    public static String explain(Decision d, List<String> accounts) {
        Evidence e = d.evidence();
        if (d.reason() == Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED && !e.principalAccount().isEmpty()) {
            return "AWS account " + e.principalAccount() + " is not an allowed account";
        }
        if (d.reason() == Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED && !e.resourceAccounts().isEmpty()) {
            return "The request acts on " + accountWords(e.resourceAccounts())
                    + (e.resourceAccounts().size() == 1 ? ", which is not an allowed account"
                            : ", not all of which are allowed accounts");
        }
        String s = sentence(d.reason());
        return accounts.isEmpty() ? s : s + " (" + accountWords(accounts) + ")";
    }

    /** "AWS account 1" or "AWS accounts 1, 2". */
    static String accountWords(List<String> accounts) {
        return (accounts.size() == 1 ? "AWS account " : "AWS accounts ") + String.join(", ", accounts);
    }

    /**
     * "Blocked by Sekisho" for a policy deny (403); "Not completed by Sekisho" for everything
     * else (an unreadable request, an upstream that failed a request the policy allowed), so that
     * nobody reads an outage as a block.
     */
    public static String headline(BlockContext c) {
        return c.status().equals(HttpResponseStatus.FORBIDDEN) ? "Blocked by Sekisho" : "Not completed by Sekisho";
    }

    /**
     * The message of an AWS error body: "Blocked by Sekisho: … (REASON_CODE). Request id ID."
     * The request id is the audit line's, so a user's paste of the CLI output finds the line.
     */
    public static String awsMessage(BlockContext c) {
        return headline(c) + ": " + explain(c.decision(), c.accounts()) + " (" + c.decision().reason().name()
                + "). Request id " + c.requestId() + ".";
    }
}
