package io.sekisho.policy.aws;

import io.sekisho.policy.AwsSettings;
import io.sekisho.policy.BodyNeed;
import io.sekisho.policy.Decision;
import io.sekisho.policy.Evidence;
import io.sekisho.policy.Headers;
import io.sekisho.policy.HostClass;
import io.sekisho.policy.HostName;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.PolicySettings;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.RequestInspector;
import io.sekisho.policy.RequestMemo;
import io.sekisho.policy.Verdict;
import io.sekisho.policy.aws.catalog.AwsHostCatalog;
import io.sekisho.policy.aws.credentials.AccountResolver;
import io.sekisho.policy.aws.credentials.AccountResolver.Resolution;
import io.sekisho.policy.aws.credentials.CredentialExtractor;
import io.sekisho.policy.aws.credentials.ExtractedCredential;
import io.sekisho.policy.aws.credentials.KeyLookup;
import io.sekisho.policy.aws.request.AwsCall;
import io.sekisho.policy.aws.request.BodyPlan;
import io.sekisho.policy.aws.resources.FormAccounts;
import io.sekisho.policy.aws.resources.ResourceAccountScanner;
import io.sekisho.policy.aws.resources.ResourceScan;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Trailers;
import io.sekisho.policy.aws.wire.UndecodableBody;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Judges requests to AWS service API endpoints (issue 4): the account whose credentials sign
 * the request (principal) and every account it acts on (resources) must be in
 * {@code aws.accounts.allow}; requests without a credential may only read allow-listed S3
 * buckets, except the unsigned STS and Cognito Identity calls, which are judged on the accounts
 * they name; {@code aws.s3.buckets.allow}, when set, limits the buckets any S3 request may name.
 *
 * <p>With an empty {@code aws.accounts.allow} the AWS checks are off (AwsSettings: "domain
 * policy only"): nothing is buffered and every request is allowed with
 * {@link Reason#DOMAIN_ALLOWED}, its evidence still recorded from the headers.
 *
 * <p>Pure and thread-safe: no I/O, no logging, no blocking (an unresolvable key is denied and
 * {@link #keyNeedingLookup} tells the proxy which key to resolve before deciding again).
 */
public final class AwsApiInspector implements RequestInspector {
    static final String RULE_ACCOUNTS = "aws.accounts.allow";
    static final String RULE_UNRESOLVABLE = "aws.unresolvableKeys";
    static final String RULE_ANONYMOUS_READ = "aws.s3.anonymousRead";
    static final String RULE_BUCKETS = "aws.s3.buckets.allow";

    private final AwsSettings settings;
    private final int bodyLimit;
    private final AwsHostCatalog catalog;
    private final AccountResolver resolver;
    private final CredentialExtractor extractor = new CredentialExtractor();
    private final ResourceAccountScanner scanner;
    private final Set<String> allowed;
    private final AnonymousRule anonymous;
    private final BucketGlobs bucketsAllow;
    private final IssuedBearerTokens bearers;
    private final S3Aliases aliases;

    /**
     * @param aws the {@code aws:} settings
     * @param inspectBodyBytes the most body bytes this inspector may ask the proxy to buffer
     * @param catalog the host catalog ({@link AwsHostCatalog#builtIn()})
     * @param keyLookup cached {@code sts:GetAccessKeyInfo} answers, {@link KeyLookup#NONE} if none
     */
    public AwsApiInspector(AwsSettings aws, int inspectBodyBytes, AwsHostCatalog catalog, KeyLookup keyLookup) {
        this(aws, inspectBodyBytes, catalog, keyLookup, IssuedBearerTokens.NONE);
    }

    /**
     * As above, with the bearer tokens this proxy saw the Sign-In service issue for an allowed
     * account: an opaque bearer token is allowed only when it is one of them.
     */
    public AwsApiInspector(AwsSettings aws, int inspectBodyBytes, AwsHostCatalog catalog, KeyLookup keyLookup,
            IssuedBearerTokens bearers) {
        this.bearers = Objects.requireNonNull(bearers);
        this.settings = Objects.requireNonNull(aws);
        if (inspectBodyBytes < 0) {
            throw new IllegalArgumentException("inspectBodyBytes < 0");
        }
        this.bodyLimit = inspectBodyBytes;
        this.catalog = Objects.requireNonNull(catalog);
        this.resolver = new AccountResolver(aws.staticKeys(), keyLookup);
        this.scanner = new ResourceAccountScanner(catalog);
        Set<String> ids = new HashSet<>();
        for (AwsSettings.AccountEntry e : aws.accounts()) {
            ids.add(e.id());
        }
        this.allowed = Set.copyOf(ids);
        this.anonymous = new AnonymousRule(new BucketGlobs(aws.s3AnonymousRead()));
        this.bucketsAllow = new BucketGlobs(aws.s3BucketsAllow());
        this.aliases = new S3Aliases(aws.controls());
    }

    /** The inspector for a whole policy configuration, with the built-in catalog. */
    public static AwsApiInspector of(PolicySettings settings, KeyLookup keyLookup) {
        return new AwsApiInspector(settings.aws(), settings.inspectBodyBytes(), AwsHostCatalog.builtIn(), keyLookup);
    }

    @Override
    public boolean handles(HostClass hostClass, HostName host) {
        return hostClass == HostClass.AWS_API || hostClass == HostClass.AWS_UNKNOWN;
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass) {
        return bodyNeed(facts, hostClass, RequestMemo.NONE);
    }

    @Override
    public BodyNeed bodyNeed(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        if (allowed.isEmpty()) {
            return BodyNeed.NONE;
        }
        try {
            AwsCall call = call(facts, memo);
            if (!call.codings.readable()) {
                return BodyNeed.NONE; // denied on the headers: nothing to wait for
            }
            switch (call.plan) {
                case FORM:
                case JSON:
                case S3_CONFIG:
                case OPAQUE:
                    return BodyNeed.whole(bodyLimit);
                case POST_FORM:
                    return BodyNeed.prefix(Math.min(bodyLimit, AwsWireFacts.POST_FORM_PREFIX_BYTES));
                default:
                    return BodyNeed.NONE;
            }
        } catch (RuntimeException e) {
            return BodyNeed.NONE; // decide() meets the same input and fails closed
        }
    }

    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass) {
        return decide(facts, hostClass, RequestMemo.NONE);
    }

    @Override
    public Decision decide(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        try {
            return decideChecked(call(facts, memo));
        } catch (RuntimeException e) {
            return Decision.internalError();
        }
    }

    /**
     * The access key ID a {@code sts:GetAccessKeyInfo} lookup should resolve before this request
     * is decided again: present only when the key is well-formed, cannot be decoded offline, is
     * not in {@code aws.keys}, is not cached yet and a lookup is configured.
     */
    @Override
    public Optional<String> keyNeedingLookup(RequestFacts facts) {
        return keyNeedingLookup(facts, RequestMemo.NONE);
    }

    @Override
    public Optional<String> keyNeedingLookup(RequestFacts facts, RequestMemo memo) {
        if (allowed.isEmpty()) {
            return Optional.empty();
        }
        try {
            AwsCall call = call(facts, memo);
            ExtractedCredential cred = extractor.extract(facts, call.headers, call.readableBody(bodyLimit));
            if (cred.hasKey() && cred.problem() == ExtractedCredential.Problem.NONE
                    && resolver.wantsLookup(cred.accessKeyId())) {
                return Optional.of(cred.accessKeyId());
            }
        } catch (RuntimeException | UndecodableBody e) {
            // no key to name: decide() fails closed on the same input
        }
        return Optional.empty();
    }

    /**
     * Before a body this inspector reads has arrived (the client waits for 100 Continue): deny
     * only a header credential that is malformed or whose account is known and not allowed.
     * Everything else waits for the body, which may carry the credential (S3 POST form, SigV2
     * form) or resource accounts; an unresolved key waits too, so the lookup runs once, after.
     */
    @Override
    public Decision onHeaders(RequestFacts facts, HostClass hostClass) {
        return onHeaders(facts, hostClass, RequestMemo.NONE);
    }

    @Override
    public Decision onHeaders(RequestFacts facts, HostClass hostClass, RequestMemo memo) {
        try {
            AwsCall call = call(facts, memo);
            if (allowed.isEmpty() || call.plan == BodyPlan.NONE) {
                return decideChecked(call);
            }
            ExtractedCredential cred = extractor.extract(facts, call.headers, null);
            Evidence.Builder ev = AwsDecisions.evidence(call, cred, "");
            try {
                call.codings.check();
                AwsDecisions.check(cred.problem());
            } catch (Rejection rejected) {
                return AwsDecisions.deny(rejected, ev);
            }
            Resolution r = cred.hasKey() ? resolver.resolve(cred.accessKeyId()) : null;
            if (r != null && r.resolved()) {
                ev.principalAccount(r.account());
                if (!allowed.contains(r.account())) {
                    return AwsDecisions.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, RULE_ACCOUNTS, ev);
                }
            }
            return AwsDecisions.allow(Reason.DOMAIN_ALLOWED, "", ev);
        } catch (RuntimeException e) {
            return Decision.internalError();
        }
    }

    /** The exchange's parse of this request: made once, at its head, and given the body when it comes. */
    private AwsCall call(RequestFacts facts, RequestMemo memo) {
        if (memo.state(this) instanceof AwsCall kept) {
            AwsCall call = kept.rebind(facts);
            if (call != null) {
                return call;
            }
        }
        AwsCall call = new AwsCall(facts, catalog.match(facts.host()));
        memo.keep(this, call);
        return call;
    }

    private Decision decideChecked(AwsCall call) {
        if (allowed.isEmpty()) {
            ExtractedCredential cred = extractor.extract(call.facts(), call.headers, null);
            return new Decision(Verdict.ALLOW, Reason.DOMAIN_ALLOWED, "", false, false,
                    AwsDecisions.evidence(call, cred, "").build());
        }
        try {
            readBody(call);
        } catch (Rejection rejected) {
            return AwsDecisions.deny(rejected, headerEvidence(call));
        }
        FormAccounts formAccounts = FormAccounts.tapping(call.queryForm); // before the extraction's pass
        ExtractedCredential cred = extractor.extract(call.facts(), call.headers, formBody(call), call.postForm,
                call.queryForm);
        Evidence.Builder ev = AwsDecisions.evidence(call, cred, "");
        try {
            AwsDecisions.check(cred.problem());
        } catch (Rejection rejected) {
            return AwsDecisions.deny(rejected, ev);
        }
        ResourceScan scan = scanner.scan(call, AwsDecisions.service(cred, call.host), call.body, formAccounts);
        ev.resourceAccounts(scan.accounts());
        if (scan.malformed()) {
            return AwsDecisions.deny(Reason.BODY_MALFORMED, "", ev);
        }
        if (scan.overflow()) {
            return AwsDecisions.deny(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED, RULE_ACCOUNTS, ev);
        }
        return judge(call, cred, scan, ev);
    }

    /** Reads the body the plan wants, or rejects: codings that cannot be read, a body not all seen, undecodable. */
    private void readBody(AwsCall call) throws Rejection {
        if (call.plan != BodyPlan.NONE) {
            call.codings.check();
            if (!bodySeen(call)) {
                throw new Rejection(Reason.BODY_TOO_LARGE_TO_INSPECT, "body not read whole");
            }
        }
        call.readBody(call.readableBody(bodyLimit));
    }

    private Decision judge(AwsCall call, ExtractedCredential cred, ResourceScan scan, Evidence.Builder ev) {
        String principal = "";
        boolean anonymousRead = false;
        if (cred.hasKey()) {
            Resolution r = resolver.resolve(cred.accessKeyId());
            if (!r.resolved() && !settings.unresolvableKeysAllow()) {
                return AwsDecisions.deny(Reason.AWS_KEY_UNRESOLVABLE, RULE_UNRESOLVABLE, ev);
            }
            principal = r.account();
        } else if (!cred.declaredAccount().isEmpty()) {
            principal = cred.declaredAccount();
        } else if (cred.present()) {
            // Basic/Bearer tokens that name no account: a Sign-In bearer token this proxy saw
            // issued names its account by provenance; otherwise only a registry's host names it.
            try {
                principal = bearers.accountOfBearer(call.facts().id(), call.headers.authorization);
            } catch (Rejection rejected) {
                return AwsDecisions.deny(rejected, ev);
            }
            if (principal.isEmpty() && !(call.host.isRegistry() && call.host.hasAccount())
                    && !settings.unresolvableKeysAllow()) {
                return AwsDecisions.deny(Reason.AWS_KEY_UNRESOLVABLE, RULE_UNRESOLVABLE, ev);
            }
        } else {
            try {
                anonymous.check(call, scan);
            } catch (Rejection rejected) {
                return AwsDecisions.deny(rejected, ev);
            }
            anonymousRead = call.s3 != null && call.isRead();
        }
        ev.principalAccount(principal);
        return accounts(call, principal, anonymousRead, scan, ev);
    }

    /** The principal, every resource account and every named bucket must be allowed. */
    private Decision accounts(AwsCall call, String principal, boolean anonymousRead, ResourceScan scan,
            Evidence.Builder ev) {
        if (!principal.isEmpty() && !allowed.contains(principal)) {
            return AwsDecisions.deny(Reason.AWS_PRINCIPAL_ACCOUNT_NOT_ALLOWED, RULE_ACCOUNTS, ev);
        }
        List<String> accounts = scan.accounts();
        for (int i = 0; i < accounts.size(); i++) {
            if (!allowed.contains(accounts.get(i))) {
                return AwsDecisions.deny(Reason.AWS_RESOURCE_ACCOUNT_NOT_ALLOWED, RULE_ACCOUNTS, ev);
            }
        }
        Reason alias = call.s3 == null ? null : firstNonNull(aliases.judge(scan.bucket()),
                aliases.judge(scan.copySourceBucket()));
        if (alias != null) {
            return AwsDecisions.deny(alias, S3Aliases.rule(alias), ev);
        }
        if (call.s3 != null && !bucketsAllow.isEmpty()
                && (!bucketAllowed(scan.bucket()) || !bucketAllowed(scan.copySourceBucket()))) {
            return AwsDecisions.deny(Reason.AWS_BUCKET_NOT_ALLOWED, RULE_BUCKETS, ev);
        }
        if (principal.isEmpty() && accounts.isEmpty()) {
            return AwsDecisions.allow(Reason.AWS_NO_ACCOUNT_EVIDENCE, anonymousRead ? RULE_ANONYMOUS_READ : "", ev);
        }
        return AwsDecisions.allow(Reason.AWS_ACCOUNT_ALLOWED, RULE_ACCOUNTS, ev);
    }

    private static @Nullable Reason firstNonNull(@Nullable Reason a, @Nullable Reason b) {
        return a != null ? a : b;
    }

    private boolean bucketAllowed(String bucket) {
        // A listed alias was let through by its own list; the bucket globs cannot name one.
        return bucket.isEmpty() || S3Aliases.isAlias(bucket) || bucketsAllow.match(bucket) != null;
    }

    private static boolean bodySeen(AwsCall call) {
        return call.facts().body() != null && (call.facts().bodyComplete() || call.plan == BodyPlan.POST_FORM);
    }

    /** Only forms carry credentials in the body (Query-API SigV2, S3 POST); JSON bodies never do. */
    private static @Nullable CharSequence formBody(AwsCall call) {
        return call.plan == BodyPlan.FORM || call.plan == BodyPlan.POST_FORM ? call.body : null;
    }

    /**
     * HTTP trailers (issue 18 point 3) arrive after the request was judged: a credential among
     * them, or any trailer AWS does not define, is refused (see {@link Trailers}).
     */
    @Override
    public Decision onTrailers(RequestFacts facts, HostClass hostClass, Headers trailers) {
        return onTrailers(facts, hostClass, trailers, RequestMemo.NONE);
    }

    @Override
    public Decision onTrailers(RequestFacts facts, HostClass hostClass, Headers trailers, RequestMemo memo) {
        try {
            if (!allowed.isEmpty()) {
                Trailers.check(trailers);
            }
            return Decision.allow(Reason.DOMAIN_ALLOWED, "");
        } catch (Rejection rejected) {
            return AwsDecisions.deny(rejected, headerEvidence(call(facts, memo)));
        } catch (RuntimeException e) {
            return Decision.internalError();
        }
    }

    /** The evidence of a request denied before its body was read: the headers' credential only. */
    private Evidence.Builder headerEvidence(AwsCall call) {
        return AwsDecisions.evidence(call, extractor.extract(call.facts(), call.headers, null), "");
    }
}
