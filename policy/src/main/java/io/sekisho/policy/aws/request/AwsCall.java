package io.sekisho.policy.aws.request;

import io.sekisho.policy.AwsProtocol;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.RequestFacts;
import io.sekisho.policy.aws.catalog.HostMatch;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.Params;
import io.sekisho.policy.aws.wire.Text;
import io.sekisho.policy.aws.wire.UndecodableBody;
import java.nio.ByteBuffer;

/**
 * One AWS API request while it is being judged: the facts, what the catalog says about its
 * host, its S3 addressing, which body part is read, and the call's shape (action, protocol) for
 * the evidence. Built once per exchange, at the request's head, and kept in the exchange's
 * memo; {@link #rebind} gives it the same request with its body. Never shared between exchanges.
 */
public final class AwsCall {
    private RequestFacts facts;
    /** Whether a body was announced or handed over when the plan was made (see {@link #rebind}). */
    private final boolean sawBody;
    public final AwsHeaders headers;
    public final HostMatch host;
    /** Null unless the host is an S3 endpoint. */
    public final @Nullable S3Request s3;
    public final BodyPlan plan;
    /** The content codings of a body the plan reads ({@link ContentCodings#NONE} for the rest). */
    public final ContentCodings codings;
    /** The body as text when the plan reads it, else null. */
    public @Nullable CharSequence body;
    /** The S3 POST form parsed from {@link #body}, once, for both credentials and resources. */
    public @Nullable PostForm postForm;
    /** The Query-protocol form of {@link #body} (plan FORM), read once for credentials, resources and Action. */
    public @Nullable QueryForm queryForm;
    private @Nullable String actionParam;
    private boolean actionParamRead;

    public AwsCall(RequestFacts facts, HostMatch host) {
        this.facts = facts;
        this.headers = AwsHeaders.of(facts.headers());
        this.host = host;
        this.s3 = host.isS3() || host.isS3AccessPoint() ? S3Request.of(facts, host) : null;
        this.plan = BodyPlan.of(facts, headers, host, s3);
        this.codings = ContentCodings.of(headers, plan);
        this.sawBody = BodyPlan.hasBody(facts, headers);
    }

    /** The request as last handed over (its head, or its head and body). */
    public RequestFacts facts() {
        return facts;
    }

    /**
     * This call for {@code next}, the same request head with (more of) its body: the head's parse
     * is kept and what was read from a body is forgotten. Null when {@code next} would be planned
     * differently (a body appeared that the head did not announce): the caller parses afresh.
     */
    public @Nullable AwsCall rebind(RequestFacts next) {
        if (next.headers() != facts.headers() || !next.host().equals(facts.host()) || !next.path().equals(facts.path())
                || !next.query().equals(facts.query()) || !next.method().equals(facts.method())
                || BodyPlan.hasBody(next, headers) != sawBody) {
            return null;
        }
        facts = next;
        body = null;
        postForm = null;
        queryForm = null;
        actionParam = null;
        actionParamRead = false;
        return this;
    }

    /**
     * The body the plan reads, its content codings undone (issue 18 point 3), as text; null when
     * the plan reads none or it was not handed over.
     *
     * @param limit the most bytes a decoded body may have
     */
    public @Nullable CharSequence readableBody(int limit) throws UndecodableBody {
        ByteBuffer raw = facts.body();
        if (plan == BodyPlan.NONE || raw == null) {
            return null;
        }
        return Text.latin1(codings.isEmpty() ? raw
                : codings.undo(raw, limit, facts.headers().get(AwsWireFacts.DECODED_CONTENT_LENGTH)));
    }

    /** Reads {@link #body} as the plan says: parses a POST form or prepares a Query form's single pass. */
    public void readBody(@Nullable CharSequence text) {
        body = text;
        if (text != null && plan == BodyPlan.POST_FORM) {
            postForm = PostForm.parse(text, headers);
        } else if (text != null && plan == BodyPlan.FORM) {
            queryForm = new QueryForm(text);
        }
    }

    /** The {@code Action=} parameter of a Query-protocol call (query string or form body), or null. */
    public @Nullable String actionParam() {
        if (!actionParamRead) {
            actionParamRead = true;
            actionParam = find(facts.query());
            if (actionParam == null && plan == BodyPlan.FORM && body != null) {
                actionParam = queryForm != null ? queryForm.action() : find(body);
            }
        }
        return actionParam;
    }

    private static @Nullable String find(CharSequence params) {
        if (params.length() == 0) {
            return null;
        }
        Params p = Params.of(params);
        while (p.next()) {
            if (p.nameEquals("Action")) {
                return p.value();
            }
        }
        return null;
    }

    public @Nullable String target() {
        return headers.target;
    }

    /** IAM-style action: {@code sqs:SendMessage}, {@code sts:AssumeRole}, {@code s3:PutObject}. */
    public String action(String service) {
        String target = target();
        if (target != null) {
            int dot = target.lastIndexOf('.');
            return service + ":" + target.substring(dot + 1).strip();
        }
        if (s3 != null) {
            return s3.operation(facts.method(), headers.copySource != null,
                    headers.contentTypeStartsWith("multipart/form-data"));
        }
        String action = actionParam();
        if (action != null) {
            return service + ":" + action;
        }
        return service + ":" + facts.method();
    }

    /** The dialect a blocked call must be answered in (DESIGN.md "Behaviour users rely on"). */
    public AwsProtocol protocol(String service) {
        if (s3 != null || AwsWireFacts.REST_XML_SERVICES.contains(service)) {
            return AwsProtocol.REST_XML;
        }
        if (target() != null || headers.contentTypeIsJson()) {
            return AwsProtocol.JSON;
        }
        if (plan == BodyPlan.FORM || actionParam() != null) {
            return AwsProtocol.QUERY;
        }
        return AwsProtocol.JSON;
    }

    public boolean isRead() {
        String m = facts.method();
        return m.equals("GET") || m.equals("HEAD") || m.equals("OPTIONS");
    }
}
