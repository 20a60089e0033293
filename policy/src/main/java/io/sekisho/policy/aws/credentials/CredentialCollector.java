package io.sekisho.policy.aws.credentials;

import io.sekisho.policy.aws.credentials.ExtractedCredential.Problem;

/**
 * Gathers what the carriers of one request say about its credential and notices when they
 * disagree. The first key found sets the form and scope; a different key anywhere else is a
 * conflict; the first problem found is the one reported.
 */
public final class CredentialCollector {
    private final boolean bodyComplete;
    private SigningForm form = SigningForm.NONE;
    private String keyId = "";
    private String service = "";
    private String region = "";
    private String location = "";
    private String declaredAccount = "";
    private Problem problem = Problem.NONE;
    boolean sessionToken;

    public CredentialCollector(boolean bodyComplete) {
        this.bodyComplete = bodyComplete;
    }

    SigningForm form() {
        return form;
    }

    /** A key ID found in carrier {@code f} at {@code loc}, with its scope when it has one. */
    public void key(SigningForm f, String key, String svc, String reg, String loc) {
        if (!AccessKeys.isWellFormed(key)) {
            malformed(f, loc);
            return;
        }
        if (keyId.isEmpty()) {
            form = f;
            keyId = key;
            service = svc;
            region = reg;
            location = loc;
        } else if (!keyId.equals(key)) {
            problem(Problem.CONFLICT);
        } else if (service.isEmpty()) {
            service = svc;
            region = reg;
        }
    }

    /** A credential that names no key (Basic, an unknown Bearer token). */
    void opaque(SigningForm f, String loc) {
        if (form == SigningForm.NONE) {
            form = f;
            location = loc;
        }
    }

    void declaredAccount(String account, String loc) {
        opaque(SigningForm.BEARER, loc);
        declaredAccount = account;
    }

    void malformed(SigningForm f, String loc) {
        opaque(f, loc);
        problem(Problem.MALFORMED);
    }

    void malformedOrConflict(boolean malformed, SigningForm f, String loc) {
        if (malformed) {
            malformed(f, loc);
        } else {
            problem(Problem.CONFLICT);
        }
    }

    /** SigV4a scopes carry no region: the region set stands in for it. */
    void regionSet(String set) {
        region = set;
    }

    /** An S3 POST form whose file part was not reached. */
    void postFormUnfinished() {
        if (!bodyComplete) {
            problem(Problem.BODY_INCOMPLETE);
        }
    }

    void problem(Problem p) {
        if (problem == Problem.NONE) {
            problem = p;
        }
    }

    public ExtractedCredential result() {
        if (form == SigningForm.NONE && problem == Problem.NONE && !sessionToken) {
            return ExtractedCredential.NONE;
        }
        return new ExtractedCredential(form, keyId, service, region, location, sessionToken, declaredAccount,
                problem);
    }
}
