package io.sekisho.policy;

/**
 * Stable reason codes. They appear in the audit log ({@code reason}), in the
 * {@code X-Sekisho-Reason} header and in block pages, so a code is never renamed once
 * shipped. Each deny path has its own code; {@link #INTERNAL_ERROR} is the fail-closed
 * answer to anything unexpected.
 */
public enum Reason {
    // --- allow reasons -------------------------------------------------------------
    /** A domain (or CIDR) allow rule matched and nothing more specific denied. */
    DOMAIN_ALLOWED(Verdict.ALLOW),
    /** An AWS request whose principal and resource accounts are all allowed. */
    AWS_ACCOUNT_ALLOWED(Verdict.ALLOW),
    /** An AWS request that carries no account evidence and is allowed by a rule for that case. */
    AWS_NO_ACCOUNT_EVIDENCE(Verdict.ALLOW),
    /** A sign-in / Identity Center / console request whose account evidence is allowed. */
    AWS_SIGNIN_ALLOWED(Verdict.ALLOW),

    // --- foundation: destination ---------------------------------------------------
    DOMAIN_NOT_ALLOWED(Verdict.DENY),
    DOMAIN_DENIED(Verdict.DENY),
    IP_LITERAL_NOT_ALLOWED(Verdict.DENY),
    PORT_NOT_ALLOWED(Verdict.DENY),
    PRIVATE_ADDRESS(Verdict.DENY),
    DNS_FAILED(Verdict.DENY),

    // --- foundation: protocol ------------------------------------------------------
    BAD_REQUEST(Verdict.DENY),
    /**
     * The request's body length is not framed the one way RFC 9112 §6 allows: Content-Length
     * beside Transfer-Encoding, Transfer-Encoding in HTTP/1.0 or other than {@code chunked}, or
     * several of them (answered 400, and the connection closes: request smuggling).
     */
    AMBIGUOUS_FRAMING(Verdict.DENY),
    NOT_A_PROXY_REQUEST(Verdict.DENY),
    HEADERS_TOO_LARGE(Verdict.DENY),
    /** The request line exceeds {@code limits.maxInitialLineBytes} (answered 414). */
    REQUEST_LINE_TOO_LONG(Verdict.DENY),
    REQUEST_HEADER_TIMEOUT(Verdict.DENY),
    METHOD_NOT_ALLOWED(Verdict.DENY),

    // --- limits --------------------------------------------------------------------
    /** Over {@code limits.maxConnections} or {@code limits.maxConnectionsPerClient}: closed at accept, unread. */
    CONNECTION_LIMIT(Verdict.DENY),
    /** {@code limits.maxPendingHeadBytes}, shared by all unfinished request heads, is used up (431). */
    PENDING_HEADS_LIMIT(Verdict.DENY),
    /** The request body did not end within {@code timeouts.requestBody} (408). */
    REQUEST_BODY_TIMEOUT(Verdict.DENY),
    /** The request body came slower than {@code limits.minRequestBodyRate} (408). */
    REQUEST_BODY_TOO_SLOW(Verdict.DENY),

    // --- clients and proxy authentication ------------------------------------------
    /** The client's address is outside {@code clients.allow}: closed at accept, unread. */
    CLIENT_NOT_ALLOWED(Verdict.DENY),
    /** {@code auth} is on and the request carries no {@code Proxy-Authorization} (407). */
    AUTH_REQUIRED(Verdict.DENY),
    /** A {@code Proxy-Authorization} that cannot be read: bad base64, no colon, oversized, control bytes (407). */
    AUTH_MALFORMED(Verdict.DENY),
    /** A {@code Proxy-Authorization} scheme that {@code auth.schemes} does not offer (407). */
    AUTH_SCHEME_UNSUPPORTED(Verdict.DENY),
    /** An unknown user or a wrong password (407). */
    AUTH_FAILED(Verdict.DENY),
    /** Too many failed attempts for this user or from this client address recently (429). */
    AUTH_THROTTLED(Verdict.DENY),
    /** The credential store could not answer (file unreadable, verifier queue full, backend down): 503. */
    AUTH_BACKEND_UNAVAILABLE(Verdict.DENY),
    /**
     * Negotiate: the proxy's keytab cannot be read or holds no key for the ticket (another service
     * principal, an old key version, an encryption type it lacks): the proxy's set-up, not the user (503).
     */
    AUTH_KERBEROS_KEY_UNAVAILABLE(Verdict.DENY),
    /** Negotiate: the client's clock, the KDC's or the proxy's differ by more than the allowed skew (407). */
    AUTH_KERBEROS_CLOCK_SKEW(Verdict.DENY),

    // --- upstream ------------------------------------------------------------------
    UPSTREAM_CONNECT_FAILED(Verdict.DENY),
    UPSTREAM_TIMEOUT(Verdict.DENY),
    UPSTREAM_CERT_INVALID(Verdict.DENY),
    UPSTREAM_TLS_FAILED(Verdict.DENY),
    UPSTREAM_PROTOCOL_ERROR(Verdict.DENY),

    // --- interception --------------------------------------------------------------
    SNI_MISMATCH(Verdict.DENY),
    HOST_MISMATCH(Verdict.DENY),
    NOT_TLS(Verdict.DENY),
    CLIENT_TLS_FAILED(Verdict.DENY),

    // --- AWS API traffic -----------------------------------------------------------
    AWS_CUSTOMER_ENDPOINT(Verdict.DENY),
    AWS_CREDENTIAL_CONFLICT(Verdict.DENY),
    AWS_CREDENTIAL_MALFORMED(Verdict.DENY),
    AWS_KEY_UNRESOLVABLE(Verdict.DENY),
    AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED(Verdict.DENY),
    AWS_RESOURCE_ACCOUNT_NOT_ALLOWED(Verdict.DENY),
    AWS_ANONYMOUS_WRITE(Verdict.DENY),
    AWS_ANONYMOUS_READ_NOT_ALLOWED(Verdict.DENY),
    AWS_BUCKET_NOT_ALLOWED(Verdict.DENY),
    /**
     * An S3 access point alias ({@code …-s3alias}, {@code …--ol-s3}, {@code …--op-s3}) not in
     * {@code aws.s3.accessPoints.allow}.
     */
    AWS_ACCESS_POINT_ALIAS_NOT_ALLOWED(Verdict.DENY),
    /** A Multi-Region Access Point alias ({@code ….mrap}) not in {@code aws.s3.multiRegionAccessPoints.allow}. */
    AWS_MRAP_ALIAS_NOT_ALLOWED(Verdict.DENY),
    /**
     * A write (a method other than GET, HEAD, OPTIONS, a body, or a long query) to a customer
     * endpoint that only a broad domain rule admits: such hosts are read-only.
     */
    AWS_CUSTOMER_ENDPOINT_WRITE(Verdict.DENY),
    /**
     * A write to an AWS-owned name the host catalog does not know, carrying no credential the
     * proxy can read: nothing names the account it goes to.
     */
    AWS_UNKNOWN_HOST_UNREADABLE(Verdict.DENY),
    /** AssumeRole of a role in {@code aws.sts.assumeRole.mfaRequired} without SerialNumber and TokenCode. */
    AWS_MFA_REQUIRED(Verdict.DENY),
    /** An SSM StartSession whose document is not in {@code aws.ssm.startSession.documents}. */
    AWS_SESSION_DOCUMENT_NOT_ALLOWED(Verdict.DENY),
    /** An SSM StartSession whose target is not in {@code aws.ssm.startSession.targets}. */
    AWS_SESSION_TARGET_NOT_ALLOWED(Verdict.DENY),
    /** A remote-host port forwarding whose {@code host} is not in {@code aws.ssm.startSession.remoteHosts}. */
    AWS_SESSION_REMOTE_HOST_NOT_ALLOWED(Verdict.DENY),
    BODY_TOO_LARGE_TO_INSPECT(Verdict.DENY),
    BODY_MALFORMED(Verdict.DENY),
    /**
     * A body the inspection reads carries a Content-Encoding it cannot undo (anything but
     * {@code aws-chunked}, {@code gzip}, {@code deflate}, {@code identity}), a streaming
     * X-Amz-Content-SHA256 without {@code aws-chunked}, or any coding on an S3 POST form.
     */
    BODY_ENCODING_UNSUPPORTED(Verdict.DENY),
    /** A gzip or deflate body that is corrupt, truncated, or followed by other bytes. */
    BODY_DECODE_FAILED(Verdict.DENY),
    /** A compressed body that grows by more than the decoding ratio limit (a decompression bomb). */
    BODY_ENCODING_BOMB(Verdict.DENY),
    /** An {@code aws-chunked} body whose framing does not follow SigV4 streaming exactly. */
    BODY_AWS_CHUNKED_MALFORMED(Verdict.DENY),
    /** A trailer (HTTP or aws-chunked) that carries a credential: Authorization, a session token, a credential. */
    BODY_TRAILER_CREDENTIAL(Verdict.DENY),
    /** A trailer the protocol does not define there (only {@code x-amz-checksum-*}; aws-chunked adds its signature). */
    BODY_TRAILER_NOT_ALLOWED(Verdict.DENY),

    // --- aws.sts.roleSessionName ----------------------------------------------------
    /** An {@code sts:AssumeRole} whose {@code RoleSessionName} is not the rendered template (or is absent). */
    AWS_SESSION_NAME_MISMATCH(Verdict.DENY),
    /** Two {@code RoleSessionName} or {@code Action} parameters, or one that does not decode. */
    AWS_SESSION_NAME_AMBIGUOUS(Verdict.DENY),
    /** An {@code sts:AssumeRole} from a client that proved no user, while the template needs one. */
    AWS_SESSION_NAME_NO_USER(Verdict.DENY),

    // --- console sign-in and Identity Center ---------------------------------------
    AWS_PORTAL_NOT_ALLOWED(Verdict.DENY),
    AWS_SIGNIN_TOKEN_UNKNOWN(Verdict.DENY),
    AWS_SAML_MALFORMED(Verdict.DENY),
    AWS_SIGNIN_ACCOUNT_UNKNOWN(Verdict.DENY),
    AWS_ROOT_SIGNIN(Verdict.DENY),
    AWS_CONSOLE_SESSION_FOREIGN(Verdict.DENY),
    /**
     * The shared store of sign-in token provenance ({@code cluster.store}) could not answer:
     * only the decisions that need it (a console login with a sign-in token) are denied.
     */
    PROVENANCE_STORE_UNAVAILABLE(Verdict.DENY),

    // --- SSM Session Manager -------------------------------------------------------
    /**
     * An SSM data channel (a WebSocket to {@code ssmmessages}) whose stream URL no
     * {@code StartSession} or {@code ResumeSession} response for an allowed account issued through
     * this proxy (or its group), or that was already opened once, or expired.
     */
    SSM_SESSION_UNKNOWN(Verdict.DENY),

    // --- fail closed ---------------------------------------------------------------
    /** The audit log cannot take lines (full disk, I/O error, full queue): nothing is acted on unaudited. */
    AUDIT_UNAVAILABLE(Verdict.DENY),
    INTERNAL_ERROR(Verdict.DENY);

    private final Verdict verdict;

    Reason(Verdict verdict) {
        this.verdict = verdict;
    }

    /** The verdict this reason stands for in enforce mode. */
    public Verdict verdict() {
        return verdict;
    }
}
