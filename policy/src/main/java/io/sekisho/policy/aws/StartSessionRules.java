package io.sekisho.policy.aws;

import io.sekisho.policy.AwsControls;
import io.sekisho.policy.Nullable;
import io.sekisho.policy.Reason;
import io.sekisho.policy.Rejection;
import io.sekisho.policy.aws.wire.AwsWireFacts;
import io.sekisho.policy.aws.wire.JsonDocument;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code aws.ssm.startSession} (issue 15 point 8b, 8c): which documents a Session Manager
 * session may run, on which targets, and to which remote hosts a port forwarding may reach. The
 * body is StartSession's JSON: {@code {"Target":"i-…","DocumentName":"…","Parameters":{"host":
 * ["…"],"portNumber":["…"],"localPortNumber":["…"]}}} (see {@link AwsWireFacts#SSM_START_SESSION_TARGET}).
 *
 * <p>No DocumentName is the shell ({@link AwsWireFacts#SSM_DEFAULT_SESSION_DOCUMENT}). Document
 * names and targets compare exactly (globs); hosts in lower case. A {@code host} parameter is
 * recognised whatever its case and each of its values must be listed; a document whose name
 * says it forwards to a remote host must name one. A body that is not one JSON object, a
 * duplicate key, or a field of the wrong type is {@code BODY_MALFORMED}.
 */
final class StartSessionRules {
    static final String RULE_DOCUMENTS = "aws.ssm.startSession.documents";
    static final String RULE_TARGETS = "aws.ssm.startSession.targets";
    static final String RULE_HOSTS = "aws.ssm.startSession.remoteHosts";

    private final BucketGlobs documents;
    private final BucketGlobs targets;
    private final BucketGlobs hosts;

    StartSessionRules(AwsControls c) {
        this.documents = new BucketGlobs(c.sessionDocuments());
        this.targets = new BucketGlobs(c.sessionTargets());
        this.hosts = new BucketGlobs(c.remoteHosts());
    }

    boolean isEmpty() {
        return documents.isEmpty() && targets.isEmpty() && hosts.isEmpty();
    }

    /** The deny reason for one StartSession body, or null. */
    @Nullable Reason judge(CharSequence body) {
        Map<String, Object> request;
        try {
            request = JsonDocument.parseObject(body, Reason.BODY_MALFORMED);
        } catch (Rejection malformed) {
            return Reason.BODY_MALFORMED;
        }
        Object target = request.get("Target");
        Object document = request.getOrDefault("DocumentName", AwsWireFacts.SSM_DEFAULT_SESSION_DOCUMENT);
        Object parameters = request.getOrDefault("Parameters", Map.of());
        if (!(target instanceof String t) || !(document instanceof String d) || !(parameters instanceof Map<?, ?> p)) {
            return Reason.BODY_MALFORMED;
        }
        if (!documents.isEmpty() && documents.match(d) == null) {
            return Reason.AWS_SESSION_DOCUMENT_NOT_ALLOWED;
        }
        if (!targets.isEmpty() && targets.match(t) == null) {
            return Reason.AWS_SESSION_TARGET_NOT_ALLOWED;
        }
        return hosts.isEmpty() ? null : remoteHosts(d, p);
    }

    static String rule(Reason r) {
        switch (r) {
            case AWS_SESSION_DOCUMENT_NOT_ALLOWED:
                return RULE_DOCUMENTS;
            case AWS_SESSION_TARGET_NOT_ALLOWED:
                return RULE_TARGETS;
            case AWS_SESSION_REMOTE_HOST_NOT_ALLOWED:
                return RULE_HOSTS;
            default:
                return "";
        }
    }

    private @Nullable Reason remoteHosts(String document, Map<?, ?> parameters) {
        boolean named = false;
        for (Map.Entry<?, ?> e : parameters.entrySet()) {
            if (!AwsWireFacts.SSM_REMOTE_HOST_PARAMETER.equalsIgnoreCase(String.valueOf(e.getKey()))) {
                continue;
            }
            List<?> values = e.getValue() instanceof List<?> l ? l : List.of(e.getValue());
            for (Object v : values) {
                if (!(v instanceof String h)) {
                    return Reason.BODY_MALFORMED;
                }
                if (hosts.match(h.strip().toLowerCase(Locale.ROOT)) == null) {
                    return Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED;
                }
                named = true;
            }
        }
        boolean remote = document.toLowerCase(Locale.ROOT).contains("remotehost");
        return remote && !named ? Reason.AWS_SESSION_REMOTE_HOST_NOT_ALLOWED : null;
    }
}
